package dev.nsjunit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs one fixture class in a JVM of its own, for tests that must kill that JVM or take privileges from it.
 * Prints one line per finished test: {@code RESULT <display name> <STATUS> <throwable, on one line>}.
 * Arguments: the class, then any number of {@code key=value} configuration parameters.
 */
public final class FixtureMain {

    private FixtureMain() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Class.forName(args[0])));
        for (int i = 1; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            request.configurationParameters(Map.of(pair[0], pair[1]));
        }
        LauncherFactory.create().execute(request.build(), new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
                if (identifier.isTest()) {
                    System.out.println("RESULT " + identifier.getDisplayName() + " " + result.getStatus() + " "
                            + result.getThrowable().map(t -> t.toString().replace('\n', ' ')).orElse(""));
                }
            }
        });
    }
}
