package dev.nsjunit.internal.parent;

import dev.nsjunit.internal.spawn.ChildExit;
import dev.nsjunit.internal.spawn.ChildProcess;
import dev.nsjunit.internal.wire.Channel;
import dev.nsjunit.internal.wire.Message.DynamicNode;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.ProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The parent's conversation with one running child, under a time limit, with its output forwarded; and, however
 * the conversation fails, the child's end: whatever is thrown while the parent talks to it (an I/O or protocol
 * error, or an {@link Error}: an OutOfMemoryError, a StackOverflowError, a LinkageError) kills its process tree,
 * reaps and closes it, and becomes the test's failure saying why. Left running, a child would go on with its test
 * in its namespaces, block once its socket buffer filled, and stay a zombie holding descriptors.
 */
final class ChildSession {

    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);
    private static final long PUMP_DRAIN_MILLIS = 2_000;
    private static final ScheduledThreadPoolExecutor TIMEOUTS = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "nsjunit-child-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    static {
        TIMEOUTS.setRemoveOnCancelPolicy(true); // a cancelled limit must not hold its child for 10 minutes
    }

    /** What the parent says to the child and hears from it, up to the outcome. */
    interface Conversation {
        Finished hold(Channel channel, List<DynamicNode> dynamicNodes) throws IOException;
    }

    private final ChildProcess child;
    private final String testName;
    private final Duration timeout;

    /** For {@code child}, running the test {@code testName}, which may take up to {@code timeout}. */
    ChildSession(ChildProcess child, String testName, Duration timeout) {
        this.child = child;
        this.testName = testName;
        this.timeout = timeout;
    }

    /**
     * Holds {@code conversation}. With an outcome, the child's output has been forwarded and the child is the
     * caller's to end; without one, the child is gone (killed if need be, reaped, closed) and the result says why,
     * with the dynamic nodes that had arrived before.
     */
    ChildRun.Result attend(Conversation conversation) {
        OutputPump out = new OutputPump("nsjunit-stdout-" + child.pid(), child.stdout(), System.out);
        OutputPump err = new OutputPump("nsjunit-stderr-" + child.pid(), child.stderr(), System.err);
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> limit = TIMEOUTS.schedule(() -> {
            timedOut.set(true);
            child.killTree();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<DynamicNode> dynamicNodes = new ArrayList<>();
        boolean handedOver = false;
        try {
            Failure failure = null;
            Finished finished = null;
            try {
                finished = conversation.hold(new Channel(child.channel()), dynamicNodes);
            } catch (Throwable t) {
                failure = classify(t);
            } finally {
                limit.cancel(false);
            }
            if (failure == null) {
                // The child ended the test's processes and closed its output before reporting: the pumps reach
                // their end now.
                drain(out, err);
                handedOver = true;
                return new ChildRun.Result(finished, dynamicNodes, null);
            }
            if (failure.kill()) {
                child.killTree();
            }
            ChildExit exit = child.awaitExit(EXIT_GRACE);
            drain(out, err);
            return new ChildRun.Result(null, List.copyOf(dynamicNodes),
                    failure.describe(exit, timedOut.get(), err.lastLines()));
        } finally {
            if (!handedOver) {
                // Also after an Error above, in the clean-up itself: killed, reaped and closed in any case.
                try {
                    child.killTree();
                } finally {
                    child.close();
                }
            }
        }
    }

    /** How the conversation failed: whether the child must be killed, and the test's failure once it is gone. */
    private record Failure(boolean kill, Describer describer) {
        RuntimeException describe(ChildExit exit, boolean timedOut, List<String> stderr) {
            return describer.describe(exit, timedOut, stderr);
        }
    }

    private Failure classify(Throwable t) {
        String child = "the child JVM (pid " + this.child.pid() + ") running " + testName;
        if (t instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
            return failure(true, (exit, timedOut, stderr) -> new ChildJvmException("interrupted while " + child
                    + " ran (a @Timeout, most likely); killed its process tree", t));
        }
        if (t instanceof ProtocolException) {
            return failure(true, (exit, timedOut, stderr) -> new ChildJvmException(t.getMessage() + ", from "
                    + child + "; killed its process tree (it " + exit.describe() + ")" + lastLines(stderr), t));
        }
        if (t instanceof EOFException) {
            // The child died before a whole outcome; its exit status says how.
            return failure(false, this::died);
        }
        if (t instanceof IOException) {
            return failure(true, (exit, timedOut, stderr) -> new ChildJvmException("the conversation with " + child
                    + " broke: " + t.getMessage(), t));
        }
        if (t instanceof RuntimeException runtime) {
            return failure(true, (exit, timedOut, stderr) -> runtime);
        }
        return failure(true, (exit, timedOut, stderr) -> new ChildJvmException("nsjunit failed while talking to "
                + child + ": " + t + "; killed its process tree", t));
    }

    private static Failure failure(boolean kill, Describer describer) {
        return new Failure(kill, describer);
    }

    private interface Describer {
        RuntimeException describe(ChildExit exit, boolean timedOut, List<String> stderr);
    }

    private ChildJvmException died(ChildExit exit, boolean timedOut, List<String> stderr) {
        StringBuilder message = new StringBuilder("the child JVM (pid " + child.pid() + ") running " + testName
                + " " + exit.describe() + " before reporting an outcome");
        if (timedOut) {
            message.append(", because it ran longer than ").append(Settings.CHILD_TIMEOUT).append(" = ")
                    .append(timeout).append("; raise that limit if the test needs longer");
        }
        message.append(lastLines(stderr));
        return new ChildJvmException(message.toString());
    }

    private static String lastLines(List<String> stderr) {
        return stderr.isEmpty() ? "" : "\nlast lines of its stderr:\n  " + String.join("\n  ", stderr);
    }

    private static void drain(OutputPump out, OutputPump err) {
        out.finish(PUMP_DRAIN_MILLIS);
        err.finish(PUMP_DRAIN_MILLIS);
    }
}
