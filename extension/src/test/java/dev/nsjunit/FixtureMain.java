package dev.nsjunit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs one fixture class in a JVM of its own, for tests that must kill the parent JVM. */
public final class FixtureMain {

    private FixtureMain() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Class.forName(args[0]))).build());
    }
}
