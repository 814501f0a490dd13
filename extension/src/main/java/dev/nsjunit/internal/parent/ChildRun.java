package dev.nsjunit.internal.parent;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.IsolationCheck;
import dev.nsjunit.internal.spawn.ChildExit;
import dev.nsjunit.internal.spawn.ChildProcess;
import dev.nsjunit.internal.spawn.SpawnException;
import dev.nsjunit.internal.spawn.Spawner;
import dev.nsjunit.internal.wire.Channel;
import dev.nsjunit.internal.wire.Message;
import dev.nsjunit.internal.wire.Message.DynamicNode;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Go;
import dev.nsjunit.internal.wire.Message.Ready;
import dev.nsjunit.internal.wire.Message.Refused;
import dev.nsjunit.internal.wire.Message.ReportEntry;
import dev.nsjunit.internal.wire.Message.RunTest;
import dev.nsjunit.internal.wire.Message.Stop;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * One test's trip through a child JVM, from the parent's side: spawn it, hold the conversation of
 * {@link Message}, check its namespaces from outside, forward its output, and end with its outcome or with how it
 * died. When {@link #run} returns, the test's processes are gone: the child ended its process group (with a pid
 * namespace, everything in it) before reporting, or was killed with it; a process that left the group with its own
 * {@code setsid} escapes, unless the test asked for a pid namespace. The child JVM itself may still be exiting
 * (running its shutdown hooks), and is reaped in the background by the {@link ChildPool}; but where its namespaces
 * outlive it (joined ones, a shared key's), the next test in them could meet what it still holds, so there
 * {@link #run} returns only once it has exited.
 */
final class ChildRun {

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

    private final ExtensionContext context;
    private final NamespaceRequest request;
    private final Settings settings;
    /** How the child started ahead of this test primed JUnit while it waited, from its Ready message. */
    private String priming;

    ChildRun(ExtensionContext context, NamespaceRequest request, Settings settings) {
        if (settings.debugPort().isPresent() && (request.types().contains(NamespaceType.NET)
                || request.joins().containsKey(NamespaceType.NET))) {
            throw new ExtensionConfigurationException(Settings.CHILD_DEBUG + " = " + settings.debugPort().getAsInt()
                    + " cannot work with net = true (" + request.declaredOn() + "): the child's debug port would "
                    + "be in its own network namespace, out of a debugger's reach. Debug this test without net, "
                    + "or run it without " + Settings.CHILD_DEBUG + ".");
        }
        this.context = context;
        this.request = request;
        this.settings = settings;
    }

    /** What the child reported: the test's outcome and, for a test factory, its dynamic nodes. */
    record Result(Finished outcome, List<DynamicNode> dynamicNodes) {
    }

    /** Runs the test in a child and returns its outcome; throws if the child could not deliver one. */
    Result run() {
        try (ChildNamespaces namespaces = ChildNamespaces.open(context, request)) {
            return run(namespaces);
        }
    }

    private Result run(ChildNamespaces namespaces) {
        Namespaces parent = Namespaces.current();
        List<String> command = ChildJvmCommand.build(settings, context.getRequiredTestClass().getClassLoader());
        ChildPool pool = ChildPool.of(context);
        // Joined namespaces, and a shared key's, outlive the child: other tests run in them.
        boolean sharedNamespaces = !namespaces.joins().isEmpty() || !request.shared().isEmpty();
        // Only children in new namespaces alone are started ahead: joined ones are opened per test.
        ChildProcess waiting = settings.prespawn() > 0 && !sharedNamespaces
                ? pool.take(new ChildPool.Key(namespaces.newTypes(), command), settings.prespawn()).orElse(null)
                : null;
        boolean startedAhead = waiting != null;
        ChildProcess child = startedAhead ? waiting : spawn(namespaces, command);
        OutputPump out = new OutputPump("nsjunit-stdout-" + child.pid(), child.stdout(), System.out);
        OutputPump err = new OutputPump("nsjunit-stderr-" + child.pid(), child.stderr(), System.err);
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timeout = TIMEOUTS.schedule(() -> {
            timedOut.set(true);
            child.killTree();
        }, settings.childTimeout().toMillis(), TimeUnit.MILLISECONDS);
        List<DynamicNode> dynamicNodes = new ArrayList<>();
        Finished finished = null;
        RuntimeException failure = null;
        try {
            finished = converse(new Channel(child.channel()), child, parent, namespaces, dynamicNodes);
        } catch (InterruptedIOException e) {
            child.killTree();
            Thread.currentThread().interrupt();
            failure = new ChildJvmException("interrupted while the child JVM (pid " + child.pid() + ") ran "
                    + context.getDisplayName() + " (a @Timeout, most likely); killed its process tree", e);
        } catch (EOFException e) {
            failure = null; // The child died before a whole outcome; its exit status says how, below.
        } catch (IOException e) {
            child.killTree();
            failure = new ChildJvmException("the conversation with the child JVM (pid " + child.pid() + ") broke: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            child.killTree();
            failure = e;
        } finally {
            timeout.cancel(false);
        }
        if (failure == null && finished != null) {
            // The child ended the test's processes and closed its output before reporting: the pumps reach
            // their end now.
            drain(out, err);
            if (sharedNamespaces) {
                // Its JVM holds what the test left open (a listening port, a file lock) until its shutdown hooks
                // have run, and the next test in these namespaces must not meet it there.
                try {
                    child.awaitExit(EXIT_GRACE);
                } finally {
                    child.close();
                }
            } else {
                pool.retire(child); // Nothing else runs in its namespaces: its exit is awaited in the background.
            }
            context.publishReportEntry("nsjunit.child", "pid " + child.pid() + (startedAhead
                    ? ", started ahead of this test" + (priming == null ? "" : "; " + priming)
                    : ", started for this test"));
            return new Result(finished, dynamicNodes);
        }
        ChildExit exit = child.awaitExit(EXIT_GRACE);
        drain(out, err);
        child.close();
        if (failure != null) {
            throw failure;
        }
        if (finished == null) {
            throw died(child.pid(), exit, timedOut.get(), err.lastLines());
        }
        return new Result(finished, dynamicNodes);
    }

    private ChildProcess spawn(ChildNamespaces namespaces, List<String> command) {
        JoinedFilesCheck.verify(request, namespaces.joins(), command);
        try {
            return Spawner.spawn(namespaces.newTypes(), namespaces.joins(), command, System.getenv());
        } catch (SpawnException e) {
            String message = "cannot start the child JVM for " + context.getDisplayName() + " ("
                    + request.declaredOn() + "): " + e.getMessage();
            if (settings.abortWhenUnavailable()) {
                throw new TestAbortedException(message + " [aborted, not failed: " + Settings.UNAVAILABLE
                        + " = abort]");
            }
            throw new ChildJvmException(message);
        }
    }

    private Finished converse(Channel channel, ChildProcess child, Namespaces parent, ChildNamespaces namespaces,
            List<DynamicNode> dynamicNodes) throws IOException {
        Set<NamespaceType> newTypes = namespaces.newTypes();
        Map<NamespaceType, Long> joined = namespaces.joinedInodes();
        channel.send(new RunTest(context.getUniqueId(), newTypes, joined, request.hostname(), parent,
                InheritedProperties.current(), LaunchConfiguration.forChild(context)));
        Message reply = channel.receive();
        if (reply instanceof Refused refused) {
            throw new IsolationFailedException(refused.reason());
        }
        Ready ready = (Ready) reply;
        priming = ready.priming();
        Namespaces outside = Namespaces.of(child.pid());
        if (!IsolationCheck.mismatches(parent, outside, newTypes, joined).isEmpty()) {
            String failure = IsolationCheck.failure("the parent JVM from outside (/proc/" + child.pid() + "/ns)",
                    parent, outside, newTypes, joined);
            channel.send(new Stop(failure));
            throw new IsolationFailedException(failure);
        }
        namespaces.established(child.pid());
        publishIsolation(parent, ready, outside, namespaces);
        channel.send(new Go());
        while (true) {
            Message message = channel.receive();
            if (message instanceof ReportEntry entry) {
                context.publishReportEntry(entry.keyValuePairs());
            } else if (message instanceof DynamicNode node) {
                dynamicNodes.add(node);
            } else if (message instanceof Finished finished) {
                return finished;
            }
        }
    }

    private void publishIsolation(Namespaces parent, Ready ready, Namespaces outside, ChildNamespaces namespaces) {
        Map<NamespaceType, Long> joined = namespaces.joinedInodes();
        String table = IsolationCheck.table(parent, outside, namespaces.newTypes(), joined);
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("nsjunit.namespaces", "\n" + table);
        entry.put("nsjunit.check.inside", "passed: the child JVM saw from /proc/self/ns new "
                + namespaces.newTypes() + " namespaces" + (joined.isEmpty() ? "" : ", the joined "
                        + joined.keySet() + " ones,") + " and the parent's for every other type");
        entry.put("nsjunit.check.outside", "passed: the parent JVM saw the same from /proc/" + outside.pid() + "/ns");
        entry.put("nsjunit.setup", ready.setupSteps().isEmpty() ? "nothing to set up"
                : String.join("; ", ready.setupSteps()));
        namespaces.sharing().ifPresent(sharing -> entry.put("nsjunit.shared", sharing));
        context.publishReportEntry(entry);
        if (settings.printIsolation()) {
            System.out.print("[nsjunit] " + context.getDisplayName() + " (" + request.declaredOn() + ") ran in "
                    + "child pid " + outside.pid() + "; inside and outside checks passed\n" + table);
            System.out.flush();
        }
    }

    private static void drain(OutputPump out, OutputPump err) {
        out.finish(PUMP_DRAIN_MILLIS);
        err.finish(PUMP_DRAIN_MILLIS);
    }

    private ChildJvmException died(int pid, ChildExit exit, boolean timedOut, List<String> stderr) {
        StringBuilder message = new StringBuilder("the child JVM (pid " + pid + ") running "
                + context.getDisplayName() + " " + exit.describe() + " before reporting an outcome");
        if (timedOut) {
            message.append(", because it ran longer than ").append(Settings.CHILD_TIMEOUT).append(" = ")
                    .append(settings.childTimeout()).append("; raise that limit if the test needs longer");
        }
        if (!stderr.isEmpty()) {
            message.append("\nlast lines of its stderr:\n  ").append(String.join("\n  ", stderr));
        }
        return new ChildJvmException(message.toString());
    }
}
