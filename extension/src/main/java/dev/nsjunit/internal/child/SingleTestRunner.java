package dev.nsjunit.internal.child;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.nsjunit.internal.wire.Channel;
import dev.nsjunit.internal.wire.Message;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Status;
import dev.nsjunit.internal.wire.ThrowableData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs exactly one test, selected by unique ID, through the JUnit Platform Launcher, so that the whole Jupiter
 * lifecycle and the user's other extensions run here as they would in the parent.
 */
final class SingleTestRunner {

    private static final String JUPITER_ENGINE_SEGMENT = "[engine:junit-jupiter]";
    private static final String JUPITER_ENGINE_CLASS = "org.junit.jupiter.engine.JupiterTestEngine";

    private final Channel channel;

    SingleTestRunner(Channel channel) {
        this.channel = channel;
    }

    Finished run(String uniqueId, Map<String, String> parentConfiguration) {
        String jupiterId = jupiterUniqueId(uniqueId);
        Map<String, String> configuration = new HashMap<>(parentConfiguration);
        configuration.put(ChildBooter.IN_CHILD_KEY, "true");
        // One test, one thread: the parent already decides what runs concurrently.
        configuration.put("junit.jupiter.execution.parallel.enabled", "false");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId(jupiterId))
                .filters(EngineFilter.includeEngines("junit-jupiter"))
                .configurationParameters(configuration)
                .build();
        Launcher launcher = LauncherFactory.create(launcherConfig());
        OutcomeListener listener = new OutcomeListener(jupiterId);
        launcher.execute(request, listener);
        return listener.outcome();
    }

    /**
     * Only what one Jupiter test needs: the Jupiter engine, instantiated directly rather than found by scanning
     * every jar for engines, and none of the listeners and filters found that way. Those belong to the parent's
     * run, which reports the test: a user's execution listener there sees it once, as the parent's outcome, and
     * a post-discovery filter there has already chosen it. (Jupiter's own extension auto-detection is a
     * configuration parameter, forwarded from the parent, and unaffected.) Without the Jupiter engine on the
     * classpath, the launcher finds its engines as usual.
     */
    static LauncherConfig launcherConfig() {
        LauncherConfig.Builder config = LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .enablePostDiscoveryFilterAutoRegistration(false)
                .enableLauncherDiscoveryListenerAutoRegistration(false);
        try {
            TestEngine jupiter = (TestEngine) Class.forName(JUPITER_ENGINE_CLASS).getDeclaredConstructor()
                    .newInstance();
            config.enableTestEngineAutoRegistration(false).addTestEngines(jupiter);
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            // No usable Jupiter engine here: let the launcher look for engines.
        }
        return config.build();
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
                channel.send(message);
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
