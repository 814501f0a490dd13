package dev.nsjunit.internal.spawn;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.libc.Errno;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.FdInputStream;
import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.libc.PollFd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Which files some paths name inside joined namespaces, as a child that joined them would find them: a process that
 * joins the user and mount namespaces and calls {@code statx(2)} on each path, then exits. Like a spawned child it runs
 * only libc (a {@link CloneChain}), so nothing the joined file system holds is loaded or executed; and since it
 * resolves the paths the way the kernel does for the real child (its root, its symlinks, its mounts), no path trick
 * can make a file inside look like the one outside, which reading {@code /proc/<pid>/root} from here could not
 * promise (an absolute symlink in there resolves against this process's root).
 *
 * <p>The child is a copy of this process, not sharing its memory: joining a user namespace takes a single-threaded
 * process, and the results come back through a pipe as it writes them.
 */
public final class FilesInside {

    /** {@code sizeof(struct statx)}, the same on every architecture. */
    private static final int STATX_SIZE = 256;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_INO = 0x100;
    private static final int AT_FDCWD = -100;
    /** Per path: its {@code struct statx}, then the errno of a failed statx. */
    private static final int SLOT = STATX_SIZE + 8;
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private FilesInside() {
    }

    /** A file as the kernel tells files apart: its device and inode, which no path, symlink or bind mount fakes. */
    public record Identity(long deviceMajor, long deviceMinor, long inode) {
        @Override
        public String toString() {
            return "device " + deviceMajor + ":" + deviceMinor + ", inode " + inode;
        }
    }

    /** What {@code statx} found at one path: the file, or the errno it failed with. */
    public record Found(String path, Identity identity, int errno) {

        public boolean exists() {
            return identity != null;
        }

        @Override
        public String toString() {
            return exists() ? identity.toString() : Errno.describe(errno);
        }
    }

    /** What {@code statx} finds at {@code path} in this process, following symlinks as execve and open do. */
    public static Found here(String path) {
        try (Memory buffer = new Memory(STATX_SIZE)) {
            buffer.clear();
            int result = LibC.function("statx").invokeInt(new Object[] {AT_FDCWD, path, 0, STATX_TYPE | STATX_INO,
                    buffer});
            return result == 0 ? new Found(path, identity(buffer, 0), 0) : new Found(path, null,
                    Native.getLastError());
        }
    }

    /**
     * What {@code statx} finds at each of {@code paths} in the user and mount namespaces of {@code joins} (the other
     * types do not change what a path names).
     *
     * @throws SpawnException if the namespaces could not be joined, the process not started, or it did not answer
     *         within 20 seconds (a hung network file system)
     */
    public static List<Found> inside(Map<NamespaceType, NamespaceFile> joins, List<String> paths)
            throws SpawnException {
        List<NamespaceFile> order = Spawner.joinedInChain(joins).stream()
                .filter(file -> file.type() == NamespaceType.USER || file.type() == NamespaceType.MNT).toList();
        long size = 8L * order.size() + (long) SLOT * paths.size();
        int[] pipe = new int[2];
        LibC.INSTANCE.pipe2(pipe, LibC.O_CLOEXEC);
        CloneChain chain = new CloneChain();
        try (Fd read = new Fd(pipe[0]); Fd write = new Fd(pipe[1]); Memory results = new Memory(size)) {
            results.clear();
            long errno = Pointer.nativeValue(LibC.INSTANCE.__errno_location());
            Spawner.resetSignalHandlers(chain);
            chain.call("prctl", LibC.PR_SET_PDEATHSIG, LibC.SIGKILL);
            long at = Pointer.nativeValue(results);
            for (NamespaceFile file : order) {
                chain.call("memset", errno, 0, 4);
                chain.call("setns", file.fd().number(), file.type().cloneFlag());
                chain.call("memcpy", at, errno, 4);
                at += 8;
            }
            for (String path : paths) {
                Memory cPath = chain.retain(Spawner.cString(path, 0));
                chain.call("statx", AT_FDCWD, Pointer.nativeValue(cPath), 0, STATX_TYPE | STATX_INO, at);
                chain.call("memcpy", at + STATX_SIZE, errno, 4); // read only where statx failed
                at += SLOT;
            }
            chain.call("write", write.number(), Pointer.nativeValue(results), size);
            chain.call("_exit", 0);
            int pid = Spawner.clone(LibC.SIGCHLD, Set.of(), chain, chain.build());
            write.close();
            byte[] answer;
            try {
                answer = readAll(read, size);
            } finally {
                reap(pid);
            }
            return found(answer, order, paths);
        } finally {
            chain.release();
        }
    }

    private static List<Found> found(byte[] answer, List<NamespaceFile> order, List<String> paths)
            throws SpawnException {
        try (Memory results = new Memory(Math.max(1, answer.length))) {
            results.write(0, answer, 0, answer.length);
            for (int i = 0; i < order.size(); i++) {
                int errno = results.getInt(8L * i);
                if (errno != 0) {
                    NamespaceFile file = order.get(i);
                    throw new SpawnException(SpawnFailureAdvice.forJoin(file.path(), file.type(), errno), errno);
                }
            }
            List<Found> found = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                long at = 8L * order.size() + (long) SLOT * i;
                boolean stated = (results.getInt(at) & STATX_INO) != 0;
                found.add(stated ? new Found(paths.get(i), identity(results, at), 0)
                        : new Found(paths.get(i), null, results.getInt(at + STATX_SIZE)));
            }
            return found;
        }
    }

    /** {@code stx_ino} at 32, {@code stx_dev_major} and {@code stx_dev_minor} at 136 and 140. */
    private static Identity identity(Pointer statx, long at) {
        return new Identity(Integer.toUnsignedLong(statx.getInt(at + 136)),
                Integer.toUnsignedLong(statx.getInt(at + 140)), statx.getLong(at + 32));
    }

    /** All {@code size} bytes the child writes before it exits, or a SpawnException once the deadline passed. */
    private static byte[] readAll(Fd read, long size) throws SpawnException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        FdInputStream in = read.inputStream();
        try (PollFd poll = new PollFd(read.number())) {
            while (bytes.size() < size) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new SpawnException("the process that looks up the child JVM's files inside the joined "
                            + "mount namespace did not answer within " + DEADLINE.toSeconds() + " s (a hung network "
                            + "file system on one of the paths?); it was killed", Errno.ETIMEDOUT);
                }
                if (poll.awaitReadable((int) Math.min(left, 100))) {
                    int n = in.read(buffer, 0, buffer.length);
                    if (n < 0) {
                        break;
                    }
                    bytes.write(buffer, 0, n);
                }
            }
        } catch (IOException | LastErrorException e) {
            throw new SpawnException("reading what the process found inside the joined mount namespace failed: "
                    + e.getMessage(), Errno.EIO);
        }
        if (bytes.size() < size) {
            throw new SpawnException("the process that looks up the child JVM's files inside the joined mount "
                    + "namespace died before it answered", Errno.EIO);
        }
        return bytes.toByteArray();
    }

    private static void reap(int pid) {
        try {
            LibC.INSTANCE.kill(pid, LibC.SIGKILL); // gone already, unless the deadline passed
        } catch (LastErrorException alreadyExited) {
            // a zombie still takes a signal; ESRCH only if something else reaped it
        }
        try {
            LibC.INSTANCE.waitpid(pid, new int[1], 0);
        } catch (LastErrorException e) {
            // ECHILD: reaped elsewhere
        }
    }
}
