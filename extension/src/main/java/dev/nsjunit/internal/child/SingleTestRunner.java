package dev.nsjunit.internal.child;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.nsjunit.internal.wire.Message;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Status;
import dev.nsjunit.internal.wire.ThrowableData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs exactly one test, selected by unique ID, through the JUnit Platform Launcher, so that the whole Jupiter
 * lifecycle and the user's other extensions run here as they would in the parent.
 */
final class SingleTestRunner {

    private static final String JUPITER_ENGINE_SEGMENT = "[engine:junit-jupiter]";
    private static final String JUPITER_ENGINE_CLASS = "org.junit.jupiter.engine.JupiterTestEngine";

    /** Where the messages a test produces while it runs go: the channel to the parent. */
    interface Sink {
        void send(Message message) throws IOException;
    }

    /** Read by the Launcher from system properties and junit-platform.properties only, never from a request. */
    static final String LAUNCHER_INTERCEPTORS_KEY = "junit.platform.launcher.interceptors.enabled";

    private final Sink sink;
    private final boolean usersParts;

    /**
     * Runs the parent's test, reporting what it produces to {@code sink}, with the user's session listeners, launcher
     * interceptors and configuration.
     */
    SingleTestRunner(Sink sink) {
        this(sink, true);
    }

    private SingleTestRunner(Sink sink, boolean usersParts) {
        this.sink = sink;
        this.usersParts = usersParts;
    }

    /**
     * Runs a test of nsjunit's own, to nobody, and with no class of the user's: without their session listeners
     * and launcher interceptors, and without their configuration (junit-platform.properties, {@code -D}), which
     * may name classes of theirs (method and class orderers, display name generators, a temp dir factory...).
     */
    static SingleTestRunner unseen() {
        return new SingleTestRunner(message -> { }, false);
    }

    Finished run(String uniqueId, Map<String, String> parentConfiguration) {
        String jupiterId = jupiterUniqueId(uniqueId);
        Map<String, String> configuration = new HashMap<>(parentConfiguration);
        configuration.put(ChildBooter.IN_CHILD_KEY, "true");
        // One test, one thread: the parent already decides what runs concurrently.
        configuration.put("junit.jupiter.execution.parallel.enabled", "false");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId(jupiterId))
                .filters(EngineFilter.includeEngines(engineId(jupiterId)))
                .configurationParameters(configuration)
                .enableImplicitConfigurationParameters(usersParts)
                .build();
        Launcher launcher = LauncherFactory.create(launcherConfig(jupiterId, usersParts));
        OutcomeListener listener = new OutcomeListener(jupiterId);
        if (usersParts) {
            launcher.execute(request, listener);
        } else {
            withoutLauncherInterceptors(() -> launcher.execute(request, listener));
        }
        return listener.outcome();
    }

    /**
     * The Launcher loads interceptors when {@value #LAUNCHER_INTERCEPTORS_KEY} is true in its own configuration
     * (system properties, then junit-platform.properties), which neither a {@link LauncherConfig} nor a request can
     * change: a system property, which wins over the file, turns them off for the run, and is then restored.
     */
    private static void withoutLauncherInterceptors(Runnable run) {
        String previous = System.setProperty(LAUNCHER_INTERCEPTORS_KEY, "false");
        try {
            run.run();
        } finally {
            if (previous == null) {
                System.clearProperty(LAUNCHER_INTERCEPTORS_KEY);
            } else {
                System.setProperty(LAUNCHER_INTERCEPTORS_KEY, previous);
            }
        }
    }

    /**
     * A Launcher that loads only what one test needs. The listeners and filters that {@code ServiceLoader} would
     * register already ran in the parent, for the whole test plan: here they would report, track or filter the one
     * test a second time (a {@code UniqueIdTrackingListener} would write a second file). Session listeners stay:
     * a test may rely on what one sets up. A Jupiter test gets the Jupiter engine alone, without a search of the
     * classpath for engines; any other engine is found as usual.
     */
    static LauncherConfig launcherConfig(String uniqueId, boolean sessionListeners) {
        LauncherConfig.Builder config = LauncherConfig.builder()
                .enableLauncherSessionListenerAutoRegistration(sessionListeners)
                .enableTestExecutionListenerAutoRegistration(false)
                .enableLauncherDiscoveryListenerAutoRegistration(false)
                .enablePostDiscoveryFilterAutoRegistration(false);
        if (uniqueId.startsWith(JUPITER_ENGINE_SEGMENT)) {
            jupiterEngine().ifPresent(engine -> config.enableTestEngineAutoRegistration(false)
                    .addTestEngines(engine));
        }
        return config.build();
    }

    /** The engine segment's ID: junit-jupiter, unless a test of another engine came here. */
    static String engineId(String uniqueId) {
        int end = uniqueId.indexOf(']');
        return uniqueId.startsWith("[engine:") && end > 0 ? uniqueId.substring("[engine:".length(), end)
                : "junit-jupiter";
    }

    /** Jupiter's engine, by name: nsjunit compiles against Jupiter's API only. */
    private static Optional<TestEngine> jupiterEngine() {
        try {
            return Optional.of((TestEngine) Class.forName(JUPITER_ENGINE_CLASS).getDeclaredConstructor()
                    .newInstance());
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * Under a suite the unique ID carries the suite engine's segments before Jupiter's; the child selects from
     * Jupiter's on, which names the same test.
     */
    static String jupiterUniqueId(String uniqueId) {
        int jupiter = uniqueId.lastIndexOf(JUPITER_ENGINE_SEGMENT);
        return jupiter <= 0 ? uniqueId : uniqueId.substring(jupiter);
    }

    private final class OutcomeListener implements TestExecutionListener {

        private final String targetId;
        private Finished outcome;
        private Finished firstContainerFailure;

        OutcomeListener(String targetId) {
            this.targetId = targetId;
        }

        @Override
        public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
            if (identifier.getUniqueId().equals(targetId) || isBelowTarget(identifier)) {
                send(new Message.ReportEntry(entry.getKeyValuePairs()));
            }
        }

        /** A dynamic test or container of the target test factory. */
        private boolean isBelowTarget(TestIdentifier identifier) {
            return identifier.getUniqueId().startsWith(targetId + "/");
        }

        /** The target's class, an enclosing class or the engine: what fails when, say, a @BeforeAll throws. */
        private boolean isAboveTarget(TestIdentifier identifier) {
            return targetId.startsWith(identifier.getUniqueId() + "/");
        }

        /** The parent reports each dynamic test or container under its own name, with this outcome. */
        private void sendDynamicNode(TestIdentifier identifier, Finished outcome) {
            send(new Message.DynamicNode(identifier.getUniqueId(), identifier.getParentId().orElse(targetId),
                    identifier.getDisplayName(), identifier.isContainer(), outcome));
        }

        private void send(Message message) {
            try {
                sink.send(message);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void executionSkipped(TestIdentifier identifier, String reason) {
            if (isBelowTarget(identifier)) {
                sendDynamicNode(identifier, new Finished(Status.ABORTED,
                        ThrowableData.of(new org.opentest4j.TestAbortedException(reason))));
            } else if (identifier.getUniqueId().equals(targetId) || isAboveTarget(identifier)) {
                recordFirst(new Finished(Status.ABORTED, ThrowableData.of(
                        new org.opentest4j.TestAbortedException("skipped in the child JVM: " + reason))));
            }
        }

        @Override
        public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
            Finished finished = toFinished(result);
            if (isBelowTarget(identifier)) {
                sendDynamicNode(identifier, finished);
            } else if (identifier.getUniqueId().equals(targetId)) {
                outcome = finished;
            } else if (finished.status() != Status.SUCCESSFUL && isAboveTarget(identifier)
                    && firstContainerFailure == null) {
                // A failed @BeforeAll, class constructor or the like: the test itself never started.
                firstContainerFailure = finished;
            }
        }

        private void recordFirst(Finished finished) {
            if (outcome == null) {
                outcome = finished;
            }
        }

        Finished outcome() {
            if (outcome != null && (outcome.status() != Status.SUCCESSFUL || firstContainerFailure == null)) {
                return outcome;
            }
            if (firstContainerFailure != null) {
                return firstContainerFailure;
            }
            return new Finished(Status.FAILED, ThrowableData.of(new IllegalStateException("the child JVM found no "
                    + "test with unique ID " + targetId + "; the child's classpath or the test's arguments differ "
                    + "from the parent's")));
        }

        private Finished toFinished(TestExecutionResult result) {
            ThrowableData throwable = result.getThrowable().map(ThrowableData::of).orElse(null);
            switch (result.getStatus()) {
                case SUCCESSFUL:
                    return new Finished(Status.SUCCESSFUL, null);
                case ABORTED:
                    return new Finished(Status.ABORTED, throwable);
                default:
                    return new Finished(Status.FAILED, throwable);
            }
        }
    }
}
