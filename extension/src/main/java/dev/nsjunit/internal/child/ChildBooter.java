package dev.nsjunit.internal.child;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.IsolationCheck;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.spawn.Spawner;
import dev.nsjunit.internal.wire.Channel;
import dev.nsjunit.internal.wire.Message;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Ready;
import dev.nsjunit.internal.wire.Message.Refused;
import dev.nsjunit.internal.wire.Message.RunTest;
import dev.nsjunit.internal.wire.Message.Status;
import dev.nsjunit.internal.wire.ThrowableData;
import java.io.IOException;
import java.util.List;

/**
 * The child JVM's main class: checks from inside that it is isolated as requested, sets up its namespaces, waits
 * for the parent's check from outside, runs its one test and reports the outcome over the channel on fd 3.
 */
public final class ChildBooter {

    /** Tells the extension, in the child, to let the test run instead of sending it to another child. */
    public static final String IN_CHILD_KEY = "nsjunit.internal.child";

    /** The display name the parent saw, for the child to check it runs the same invocation of a template. */
    public static final String EXPECTED_DISPLAY_NAME_KEY = "nsjunit.internal.displayName";

    private ChildBooter() {
    }

    /** The argument that makes a JVM run {@link Warmup} instead of a test from a parent. */
    public static final String WARM_UP = "--warm-up";

    /** The argument of a child started ahead of its test, which {@link Priming primes} JUnit while it waits. */
    public static final String STARTED_AHEAD = "--started-ahead";

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals(WARM_UP)) {
            Warmup.run();
            return;
        }
        CpuPhases phases = CpuPhases.fromSystemProperty();
        phases.mark("jvm");
        // Not inherited by what the test starts: a process that outlived the test while holding it would keep
        // the parent from ever seeing this channel's end.
        LibC.INSTANCE.fcntl(Spawner.CHILD_CHANNEL_FD, LibC.F_SETFD, LibC.FD_CLOEXEC);
        phases.mark("jna");
        String priming = null;
        if (args.length == 1 && args[0].equals(STARTED_AHEAD)) {
            priming = Priming.run();
            phases.mark("priming");
        }
        Channel channel = new Channel(new Fd(Spawner.CHILD_CHANNEL_FD));
        try {
            RunTest run = (RunTest) channel.receive();
            phases.mark("wait");
            ParentSnapshot.set(run.parent());
            if (prepare(channel, run, priming) && channel.receive() instanceof Message.Go) {
                phases.mark("checks");
                ParentWatch.start(channel, run.types().contains(NamespaceType.PID));
                // Start-up values (-D) stay; the rest were set at run time in the parent.
                run.systemProperties().forEach((key, value) -> {
                    if (System.getProperty(key) == null) {
                        System.setProperty(key, value);
                    }
                });
                Finished outcome = runGuarded(channel, run);
                phases.mark("test");
                ParentWatch.finishedNormally(run.types().contains(NamespaceType.PID));
                channel.send(outcome);
                phases.mark("finish");
                phases.write();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("nsjunit child JVM: cannot talk to the parent: " + e);
            System.exit(70);
        }
        // exit rather than halt: shutdown hooks (a coverage agent's dump, say) must run.
        System.exit(0);
    }

    /** The inside check, then the setup; true if the test may run. */
    private static boolean prepare(Channel channel, RunTest run, String priming) throws IOException {
        // Checked before the setup steps too: sethostname or mount in a namespace that clone silently failed to
        // create would change the host.
        Namespaces self = Namespaces.current();
        if (!IsolationCheck.mismatches(run.parent(), self, run.types(), run.joined()).isEmpty()) {
            channel.send(new Refused(IsolationCheck.failure("the child JVM from inside (/proc/self/ns)",
                    run.parent(), self, run.types(), run.joined())));
            return false;
        }
        List<String> steps;
        try {
            steps = new NamespaceSetup(run.types(), run.joined().keySet(), run.hostname()).apply();
        } catch (SetupFailure e) {
            channel.send(new Refused(e.getMessage()));
            return false;
        }
        channel.send(new Ready(self, steps, priming));
        return true;
    }

    private static Finished runGuarded(Channel channel, RunTest run) {
        try {
            return new SingleTestRunner(channel::send).run(run.uniqueId(), run.configuration());
        } catch (Throwable t) {
            return new Finished(Status.FAILED, ThrowableData.of(t));
        }
    }
}
