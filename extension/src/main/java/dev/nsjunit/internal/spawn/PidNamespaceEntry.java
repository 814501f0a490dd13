package dev.nsjunit.internal.spawn;

import com.sun.jna.LastErrorException;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.libc.Errno;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;

/**
 * Clones a child into an existing pid namespace. setns(2) with a pid namespace changes only where the calling
 * thread's future children go ({@code /proc/thread-self/ns/pid_for_children}), never the caller itself, and
 * execve does not move a process either; so the spawning thread points its children at the namespace for the
 * one clone and back right after. Threads keep their namespace sets apart, so no other thread of the JVM is
 * affected meanwhile.
 */
final class PidNamespaceEntry {

    private static final String OWN = "/proc/thread-self/ns/pid";

    interface Clone {
        int run() throws SpawnException;
    }

    private PidNamespaceEntry() {
    }

    static int cloneInto(NamespaceFile pidNamespace, Clone clone) throws SpawnException {
        // The thread's own pid namespace, where it must return: setns accepts it, as the namespace the thread is in.
        try (Fd own = openOwn()) {
            try {
                LibC.INSTANCE.setns(pidNamespace.fd().number(), NamespaceType.PID.cloneFlag());
            } catch (LastErrorException e) {
                throw new SpawnException("setns(" + pidNamespace.path() + ", CLONE_NEWPID) failed: "
                        + Errno.describe(e.getErrorCode()) + " — joining a pid namespace needs CAP_SYS_ADMIN in the "
                        + "test JVM's user namespace and in the one owning the pid namespace, and the namespace "
                        + "must be this JVM's own or one below it", e.getErrorCode());
            }
            int pid;
            try {
                pid = clone.run();
            } catch (SpawnException | RuntimeException e) {
                int errno = pointBack(own);
                if (errno != 0) {
                    e.addSuppressed(new IllegalStateException(cannotPointBack(errno) + "; any later child of this "
                            + "thread would start in " + pidNamespace.path() + ", so restart the test JVM"));
                }
                throw e;
            }
            int errno = pointBack(own);
            if (errno != 0) {
                // The caller hears of this failure instead of the pid: the child would be left running, unreaped.
                killAndReap(pid);
                throw new IllegalStateException(cannotPointBack(errno) + " — the child just started in "
                        + pidNamespace.path() + " (pid " + pid + ") was killed; any later child of this thread "
                        + "would start in that namespace too, so restart the test JVM");
            }
            return pid;
        }
    }

    private static Fd openOwn() throws SpawnException {
        int opened;
        try {
            opened = LibC.INSTANCE.open(OWN, LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SpawnException("cannot open " + OWN + ", to return to after joining a pid namespace: "
                    + Errno.describe(e.getErrorCode()) + (e.getErrorCode() == Errno.ENOENT
                            ? " — /proc is not mounted in the test JVM's mount namespace, or the kernel predates "
                                    + "Linux 3.17 (/proc/thread-self); mount /proc"
                            : " — the test JVM cannot read its own namespace files"), e.getErrorCode());
        }
        try {
            return new Fd(Spawner.aboveTargets(opened));
        } catch (IllegalStateException e) { // out of descriptors: a spawn failure like any other, with its errno
            throw new SpawnException(e.getMessage(), e.getCause() instanceof LastErrorException cause
                    ? cause.getErrorCode() : 0);
        }
    }

    /** Points this thread's children back at its own pid namespace; returns 0, or the errno of a failed setns. */
    private static int pointBack(Fd own) {
        try {
            LibC.INSTANCE.setns(own.number(), NamespaceType.PID.cloneFlag());
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    private static String cannotPointBack(int errno) {
        return "cannot point this thread's children back at its own pid namespace: setns(" + OWN
                + ", CLONE_NEWPID) failed: " + Errno.describe(errno)
                + (errno == Errno.EPERM ? " (the thread lacks CAP_SYS_ADMIN now)" : "");
    }

    /** SIGKILL to the child's process group (it leads one, see ChildProcess) and to itself, then waitpid. */
    private static void killAndReap(int pid) {
        for (int target : new int[] {-pid, pid}) {
            try {
                LibC.INSTANCE.kill(target, LibC.SIGKILL);
            } catch (LastErrorException e) {
                // ESRCH: gone already; waitpid below says whether it was ours.
            }
        }
        int[] status = new int[1];
        while (true) {
            try {
                LibC.INSTANCE.waitpid(pid, status, 0);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    return; // ECHILD: reaped by someone else; nothing is left to end.
                }
            }
        }
    }
}
