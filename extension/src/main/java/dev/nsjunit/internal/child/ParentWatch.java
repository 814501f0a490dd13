package dev.nsjunit.internal.child;

import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.wire.Channel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends every process the test started (the clone chain's {@code setsid} put them all in this JVM's process group)
 * when this JVM ends early, and ends the whole group when the parent dies. Two signs of the parent's death, either
 * of which may come first:
 * <ul>
 *   <li>SIGTERM, the parent-death signal the clone chain set. It fires when the spawning <em>thread</em> dies,
 *       and the JVM's shutdown hooks run. {@code getppid()} cannot confirm it: a child whose spawning thread
 *       dies is first handed to another thread of the same, still dying, parent JVM. So the hook does not ask:
 *       unless the test finished normally, it kills the rest of the group.
 *   <li>EOF on the channel: the parent sends nothing after {@code Go}, so a read returns only when every thread
 *       of the parent is gone.
 * </ul>
 */
final class ParentWatch {

    /** A SIGKILLed process is gone within milliseconds; this only bounds a pathological case. */
    private static final long GONE_WITHIN_NANOS = 2_000_000_000L;

    /** The exit status of a JVM that its own SIGKILL could not end: the status a shell gives a SIGKILLed one. */
    static final int PARENT_GONE_EXIT = 128 + LibC.SIGKILL;

    private static volatile boolean finishedNormally;

    private ParentWatch() {
    }

    /**
     * @param ownPidNamespace whether this JVM is PID 1 of its own pid namespace, whose processes all die with it
     *     (and whose pids this JVM's {@code /proc} may not show)
     */
    static void start(Channel channel, boolean ownPidNamespace) {
        if (!ownPidNamespace) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!finishedNormally) {
                    killRestOfProcessGroup();
                }
            }, "nsjunit-process-group-cleanup"));
        }
        Thread watch = new Thread(() -> {
            try {
                channel.receive();
            } catch (IOException | RuntimeException parentGone) {
                // EOF or a broken channel: nobody is left to report to.
            }
            try {
                LibC.INSTANCE.kill(0, LibC.SIGKILL); // pid 0: every process in the caller's process group
            } catch (RuntimeException e) {
                // Nothing to do about it; the halt below still ends this JVM.
            }
            // Reached by the init of a pid namespace (or if kill failed): from inside its namespace, init receives
            // only the signals it has a handler for, and SIGKILL can have none. Its exit ends the whole namespace.
            Runtime.getRuntime().halt(PARENT_GONE_EXIT);
        }, "nsjunit-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /**
     * The test is over and its outcome about to be sent: ends every other process of the test (the whole pid
     * namespace if this JVM is its init, else the process group), then points stdout and stderr at /dev/null, so
     * that the parent's readers of those pipes reach their end now and the parent need not wait for this JVM to
     * exit. What the JVM prints from here on (shutdown hooks) is dropped.
     */
    static void finishedNormally(boolean ownPidNamespace) {
        finishedNormally = true;
        if (ownPidNamespace) {
            endTheRestOfThePidNamespace();
        } else {
            awaitGone(killRestOfProcessGroup());
        }
        System.out.flush();
        System.err.flush();
        try (Fd devNull = new Fd(LibC.INSTANCE.open("/dev/null", LibC.O_WRONLY | LibC.O_CLOEXEC))) {
            LibC.INSTANCE.dup2(devNull.number(), 1);
            LibC.INSTANCE.dup2(devNull.number(), 2);
        }
    }

    /**
     * As this JVM is the namespace's init, kill(-1) reaches every other process in it, and each one, orphaned,
     * ends up as this JVM's child: reaped here until none is left, so the test returns only once all are gone.
     */
    private static void endTheRestOfThePidNamespace() {
        long deadline = System.nanoTime() + GONE_WITHIN_NANOS;
        try {
            LibC.INSTANCE.kill(-1, LibC.SIGKILL);
            int[] status = new int[1];
            while (System.nanoTime() < deadline) {
                try {
                    LibC.INSTANCE.waitpid(-1, status, LibC.WNOHANG);
                } catch (RuntimeException noChildren) {
                    // ECHILD: the JVM's own process reaper took them.
                }
                LibC.INSTANCE.kill(-1, 0);
                Thread.sleep(1);
            }
        } catch (RuntimeException noneLeft) {
            // ESRCH from kill: no other process is left in the namespace.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGKILLs the other members of this process group, so that this JVM's own exit status stays as it was; returns
     * their {@code /proc} entries.
     */
    private static List<Path> killRestOfProcessGroup() {
        List<Path> killed = new ArrayList<>();
        for (ProcessGroupMembers.Member member : ProcessGroupMembers.others()) {
            try {
                LibC.INSTANCE.kill(member.pid(), LibC.SIGKILL);
                killed.add(member.process());
            } catch (RuntimeException gone) {
                // ESRCH: it exited meanwhile.
            }
        }
        return killed;
    }

    /** Waits, briefly, until each process has exited: gone from /proc, or a zombie, which holds nothing. */
    private static void awaitGone(List<Path> processes) {
        long deadline = System.nanoTime() + GONE_WITHIN_NANOS;
        for (Path process : processes) {
            while (System.nanoTime() < deadline && isRunning(process)) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static boolean isRunning(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }
}
