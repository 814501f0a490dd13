package dev.nsjunit.internal.parent;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.IsolationCheck;
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
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * What the child reported: the test's outcome and, for a test factory, its dynamic nodes; or, if the child
     * delivered no outcome, why ({@code failure}), with the dynamic nodes that had arrived before.
     */
    record Result(Finished outcome, List<DynamicNode> dynamicNodes, RuntimeException failure) {

        /** The outcome; throws the failure if there is none. */
        Finished outcomeOrThrow() {
            if (failure != null) {
                throw failure;
            }
            return outcome;
        }
    }

    /**
     * Runs the test in a child and returns its outcome; throws if the child could not deliver one, unless dynamic
     * nodes arrived before, which are then reported ahead of the failure.
     */
    Result run() {
        Result result;
        try (ChildNamespaces namespaces = ChildNamespaces.open(context, request)) {
            result = run(namespaces);
        }
        if (result.failure() != null && result.dynamicNodes().isEmpty()) {
            throw result.failure();
        }
        return result;
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
        Result result = new ChildSession(child, context.getDisplayName(), settings.childTimeout())
                .attend((channel, dynamicNodes) -> converse(channel, child, parent, namespaces, dynamicNodes));
        if (result.failure() != null) {
            return result; // The session ended the child.
        }
        try {
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
        } catch (Throwable t) {
            child.close();
            throw t;
        }
        context.publishReportEntry("nsjunit.child", "pid " + child.pid() + (startedAhead
                ? ", started ahead of this test" + (priming == null ? "" : "; " + priming)
                : ", started for this test"));
        return result;
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
        Message reply = channel.receive(Ready.class, Refused.class);
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
            Message message = channel.receive(ReportEntry.class, DynamicNode.class, Finished.class);
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
}
