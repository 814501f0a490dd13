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

    interface Clone {
        int run() throws SpawnException;
    }

    private PidNamespaceEntry() {
    }

    static int cloneInto(NamespaceFile pidNamespace, Clone clone) throws SpawnException {
        // The thread's own pid namespace, where it must return: setns accepts it, as the namespace the thread is in.
        try (Fd own = new Fd(Spawner.aboveTargets(LibC.INSTANCE.open("/proc/thread-self/ns/pid",
                LibC.O_RDONLY | LibC.O_CLOEXEC)))) {
            try {
                LibC.INSTANCE.setns(pidNamespace.fd().number(), NamespaceType.PID.cloneFlag());
            } catch (LastErrorException e) {
                throw new SpawnException("setns(" + pidNamespace.path() + ", CLONE_NEWPID) failed: "
                        + Errno.describe(e.getErrorCode()) + " — joining a pid namespace needs CAP_SYS_ADMIN in the "
                        + "test JVM's user namespace and in the one owning the pid namespace, and the namespace "
                        + "must be this JVM's own or one below it", e.getErrorCode());
            }
            try {
                return clone.run();
            } finally {
                try {
                    LibC.INSTANCE.setns(own.number(), NamespaceType.PID.cloneFlag());
                } catch (LastErrorException e) {
                    // Every later child of this thread would land in the joined namespace.
                    throw new IllegalStateException("cannot point this thread's children back at its own pid "
                            + "namespace: setns failed with " + Errno.describe(e.getErrorCode()), e);
                }
            }
        }
    }
}
