package dev.nsjunit.rootless;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs the tests tagged {@code rootless}; started by ci/rootless as an unprivileged user. Exit code 1 on failure. */
public final class RootlessSuite {

    private RootlessSuite() {
    }

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("dev.nsjunit.rootless"))
                .filters(TagFilter.includeTags("rootless"))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printFailuresTo(out, 30);
        summary.printTo(out);
        long failed = summary.getTotalFailureCount() + summary.getTestsAbortedCount();
        out.printf("rootless: %d passed, %d failed%n", summary.getTestsSucceededCount(), failed);
        System.exit(failed == 0 && summary.getTestsSucceededCount() > 0 ? 0 : 1);
    }
}
