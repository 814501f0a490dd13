package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.nsjunit.InNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What {@code unshare(2)} and {@code setns(2)} do when a JVM calls them, and why nsjunit creates namespaces only
 * with {@code clone(2)} followed by {@code execve(2)}. Shown in docs/concepts/clone-unshare-setns.md.
 *
 * <p>Each call is made on a thread of its own that ends right after it: namespaces belong to threads, and a thread
 * that changed its own must not go on to run anything else of the JVM's.
 */
@Tag("rootless")
class CloneUnshareSetnsSampleTest {

    private static final int EINVAL = 22;

    // tag::thread[]
    @Test
    @InNamespace(user = true) // for CAP_SYS_ADMIN, which unshare(CLONE_NEWNET) needs, also without root
    void unshareMovesOnlyTheCallingThread() throws Exception {
        String threadsNet = onNewThread(() -> {
            LibC.INSTANCE.unshare(LibC.CLONE_NEWNET);
            return link("/proc/thread-self/ns/net");
        });

        // /proc/self is the process's main thread, which is where it was.
        assertThat(threadsNet).isNotEqualTo(link("/proc/self/ns/net"));
    }
    // end::thread[]

    // tag::user[]
    @Test
    void unshareCannotMakeAUserNamespaceInAMultiThreadedProcess() {
        // A JVM always has a dozen threads or more, and all threads of a process must share one user namespace.
        assertThatThrownBy(() -> onNewThread(() -> LibC.INSTANCE.unshare(LibC.CLONE_NEWUSER)))
                .isInstanceOfSatisfying(LastErrorException.class, e -> assertThat(e.getErrorCode()).isEqualTo(EINVAL));
    }
    // end::user[]

    // tag::pid[]
    @Test
    @InNamespace(user = true)
    void unshareOfAPidNamespaceMovesNotTheCallerAndLeavesItUnableToStartThreads() throws Exception {
        String pidBefore = link("/proc/self/ns/pid");

        Object outcome = onNewThread(() -> {
            LibC.INSTANCE.unshare(LibC.CLONE_NEWPID);
            String ownPid = link("/proc/thread-self/ns/pid"); // unchanged: only children made from now on move
            try {
                new Thread(() -> { }).start(); // the kernel refuses a thread in another pid namespace: EINVAL
                return ownPid + ", and a thread started";
            } catch (OutOfMemoryError e) {
                return ownPid + ", and " + e.getMessage();
            }
        });

        assertThat(outcome).isEqualTo(pidBefore + ", and unable to create native thread: possibly out of memory or "
                + "process/resource limits reached");
    }
    // end::pid[]

    // tag::setns[]
    @Test
    void setnsCannotJoinAUserNamespaceFromAMultiThreadedProcess() throws Exception {
        Process holder = new ProcessBuilder("unshare", "--user", "sh", "-c",
                "readlink /proc/self/ns/user; exec cat").start();
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            String holdersUser = output.readLine(); // once read, the holder is in its new user namespace
            String namespace = "/proc/" + holder.pid() + "/ns/user";
            int fd = LibC.INSTANCE.open(namespace, LibC.O_RDONLY);
            try {
                assertThatThrownBy(() -> onNewThread(() -> LibC.INSTANCE.setns(fd, 0)))
                        .isInstanceOfSatisfying(LastErrorException.class,
                                e -> assertThat(e.getErrorCode()).isEqualTo(EINVAL));
            } finally {
                LibC.INSTANCE.close(fd);
            }
            // nsenter(1), a single-threaded C program, joins it with the same system call.
            assertThat(run("nsenter", "--user=" + namespace, "--preserve-credentials", "readlink",
                    "/proc/self/ns/user")).isEqualTo(holdersUser);
        } finally {
            holder.getOutputStream().close(); // cat ends on end of input
            holder.waitFor();
        }
    }
    // end::setns[]

    /** Runs {@code call} on a thread of its own, which ends when the call returns; rethrows what it threw. */
    private static <T> T onNewThread(Callable<T> call) throws Exception {
        FutureTask<T> task = new FutureTask<>(call);
        Thread thread = new Thread(task);
        thread.start();
        thread.join();
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static String link(String path) throws IOException {
        return Files.readSymbolicLink(Path.of(path)).toString();
    }

    /** The first line a command prints. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.lines().findFirst().orElse("");
    }

    /** The calls this sample needs, from {@code <sched.h>}, {@code <fcntl.h>} and {@code <unistd.h>}. */
    interface LibC extends Library {

        LibC INSTANCE = Native.load("c", LibC.class);

        int CLONE_NEWNET = 0x40000000;
        int CLONE_NEWPID = 0x20000000;
        int CLONE_NEWUSER = 0x10000000;
        int O_RDONLY = 0;

        /**
         * Moves the calling thread into new namespaces of the types in {@code flags} (for pid and time: its future
         * children only); 0, or -1 and errno (EINVAL for CLONE_NEWUSER in a multi-threaded process).
         *
         * @see <a href="https://man7.org/linux/man-pages/man2/unshare.2.html">unshare(2)</a>
         */
        int unshare(int flags) throws LastErrorException;

        /**
         * Moves the calling thread into the existing namespace that {@code fd} refers to; {@code nstype} 0 accepts
         * any type. 0, or -1 and errno (EINVAL for a user or mount namespace in a multi-threaded process).
         *
         * @see <a href="https://man7.org/linux/man-pages/man2/setns.2.html">setns(2)</a>
         */
        int setns(int fd, int nstype) throws LastErrorException;

        /**
         * Opens {@code path}; a file descriptor, or -1 and errno.
         *
         * @see <a href="https://man7.org/linux/man-pages/man2/open.2.html">open(2)</a>
         */
        int open(String path, int flags) throws LastErrorException;

        /**
         * Closes {@code fd}; 0, or -1 and errno.
         *
         * @see <a href="https://man7.org/linux/man-pages/man2/close.2.html">close(2)</a>
         */
        int close(int fd) throws LastErrorException;
    }
}
