package dev.nsjunit.internal;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.child.ParentSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;

/**
 * Finds the namespaces of a snapshot's parent: in an nsjunit child JVM, for a snapshot of the child itself, the
 * test JVM that started it; otherwise the process named by {@code PPid} in {@code /proc/<pid>/status}.
 */
public final class ParentNamespaces {

    /** The parent's namespaces, and words for who it is ("its parent process, pid 12"). */
    public record Parent(Namespaces namespaces, String description) {
    }

    private ParentNamespaces() {
    }

    /**
     * @throws IllegalStateException if the parent cannot be found: the process is gone, its status is unreadable,
     *         or its parent is outside its pid namespace ({@code PPid} 0)
     */
    public static Parent of(Namespaces child) {
        boolean self = isThisProcess(child);
        Optional<Namespaces> testJvm = ParentSnapshot.get();
        if (testJvm.isPresent() && self) {
            return new Parent(testJvm.get(), "the test JVM that started this child JVM, pid "
                    + testJvm.get().pid());
        }
        // For this process, /proc/self: in a new pid namespace under the host's /proc, /proc/<own pid> is
        // another process. The PPid read is numbered as the /proc it was read from, so Namespaces.of finds it.
        Path status = self ? Paths.get("/proc/self/status") : Paths.get("/proc", Long.toString(child.pid()), "status");
        long ppid = parentPid(child.pid(), status);
        try {
            return new Parent(Namespaces.of(ppid), "its parent process, pid " + ppid);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot read the namespaces of pid " + ppid + ", the parent of pid "
                    + child.pid() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The same pid in the same pid namespace: a snapshot of this process. Pids alone would not do, since a snapshot
     * taken in another pid namespace may carry the same number.
     */
    private static boolean isThisProcess(Namespaces snapshot) {
        Namespaces self = Namespaces.current();
        return snapshot.pid() == self.pid() && snapshot.types().contains(NamespaceType.PID)
                && snapshot.inode(NamespaceType.PID) == self.inode(NamespaceType.PID);
    }

    static long parentPid(long pid, Path status) {
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException e) {
            throw new IllegalStateException("cannot find the parent of pid " + pid + ": reading " + status
                    + " failed (" + e + "); the process may have exited, or it is in another pid namespace than "
                    + "the /proc mounted here", e);
        }
        for (String line : lines) {
            if (line.startsWith("PPid:")) {
                long ppid = Long.parseLong(line.substring("PPid:".length()).trim());
                if (ppid == 0) {
                    throw new IllegalStateException("pid " + pid + " has no parent it can see (PPid 0 in " + status
                            + "): it is the first process of its pid namespace, or the kernel's own; compare it "
                            + "with a snapshot of the intended process using differsFrom(...) instead");
                }
                return ppid;
            }
        }
        throw new IllegalStateException("cannot find the parent of pid " + pid + ": no PPid line in " + status);
    }
}
