package dev.nsjunit.internal.spawn;

import com.sun.jna.LastErrorException;
import dev.nsjunit.internal.libc.Errno;
import dev.nsjunit.internal.libc.LibC;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a child closes the descriptors it inherited from the JVM beyond its own: the JDK opens the jars,
 * {@code lib/modules}, files, sockets and {@code Process} pipes without {@code O_CLOEXEC}, and a child that kept them
 * would hand the test its parent's files and keep another process's pipe from ever reaching EOF.
 *
 * <p>With {@code close_range(2)} (Linux 5.9+) it is one call, a checked step of the chain. Where the kernel has none
 * (ENOSYS) or a seccomp profile refuses it (EPERM: Docker's default profile did before 20.10.4), the chain closes
 * instead each descriptor this JVM has open as the chain is built, one {@code close(2)} each, since the chain cannot
 * read {@code /proc/self/fd} itself. That leaves a window of microseconds: a descriptor another thread opens without
 * {@code O_CLOEXEC} between the listing and the clone reaches the child.
 */
final class InheritedDescriptors {

    /** Makes every spawn take the fallback, as on a kernel without close_range: for tests. */
    static final String CLOSE_EACH_PROPERTY = "nsjunit.internal.spawn.closeEachDescriptor";
    private static final long LAST_FD = 0xFFFF_FFFFL;

    private InheritedDescriptors() {
    }

    /** Appends the steps that close every descriptor from {@code first} on. */
    static void close(CloneChain chain, CheckedSteps checked, int first) {
        if (closeRangeRefusal().isEmpty() && !Boolean.getBoolean(CLOSE_EACH_PROPERTY)) {
            checked.call(errno -> SpawnFailureAdvice.forCloseRange(first, errno), "syscall",
                    LibC.SYS_close_range, first, LAST_FD, 0);
            return;
        }
        for (int fd : openDescriptors()) {
            if (fd >= first) {
                chain.call("close", fd);
            }
        }
    }

    /**
     * Empty if close_range(2) works here, else its errno. Asked once, with a range that holds no descriptor
     * (the last possible number alone), so the question closes nothing.
     */
    static Optional<Integer> closeRangeRefusal() {
        return CloseRange.REFUSAL;
    }

    /** Holds the answer, found when first asked. */
    private static final class CloseRange {
        static final Optional<Integer> REFUSAL = ask();

        private static Optional<Integer> ask() {
            try {
                LibC.INSTANCE.syscall(LibC.SYS_close_range, LAST_FD, LAST_FD, 0);
                return Optional.empty();
            } catch (LastErrorException e) {
                return Optional.of(e.getErrorCode());
            }
        }
    }

    private static List<Integer> openDescriptors() {
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : entries) {
                fds.add(Integer.parseInt(entry.getFileName().toString()));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("close_range(2) is refused here (" + Errno.describe(
                    closeRangeRefusal().orElse(0)) + "), and listing this JVM's descriptors in /proc/self/fd, to "
                    + "close them one by one in the child instead, failed: " + e + ". Mount /proc, or use Linux "
                    + "5.9 or later without a seccomp rule against close_range.", e);
        }
        return fds;
    }
}
