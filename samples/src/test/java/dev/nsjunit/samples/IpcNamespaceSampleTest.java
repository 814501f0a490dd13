package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.nsjunit.InNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An IPC namespace (Linux 2.6.19) gives a test System V IPC objects and POSIX message queues of its own: a message
 * queue created inside is never seen by the host, and is gone with the namespace.
 */
// tag::sample[]
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IpcNamespaceSampleTest {

    /** A fixed key ("nsju" in ASCII), so the host side can look for the very queue made inside. */
    private static final int KEY = 0x6e736a75;

    @Test
    @Order(1)
    @InNamespace(ipc = true)
    void createsAMessageQueue() throws IOException {
        SysV.LIBC.msgget(KEY, SysV.IPC_CREAT | 0600);

        assertThat(messageQueueKeys()).contains(KEY);
    }

    @Test
    @Order(2)
    void hostHasNoSuchQueue() throws IOException {
        // The test never removed its queue: the kernel destroyed it with the namespace when the child JVM exited.
        assertThat(messageQueueKeys()).doesNotContain(KEY);
    }

    /** The keys of the message queues of the caller's IPC namespace, from the first column of /proc/sysvipc/msg. */
    private static List<Integer> messageQueueKeys() throws IOException {
        return Files.readAllLines(Path.of("/proc/sysvipc/msg")).stream()
                .skip(1) // the header
                .map(line -> Integer.parseInt(line.trim().split("\\s+")[0]))
                .collect(Collectors.toList());
    }

    /** The one call this sample needs, from {@code <sys/msg.h>}. */
    interface SysV extends Library {

        SysV LIBC = Native.load("c", SysV.class);

        int IPC_CREAT = 01000;

        /**
         * Returns the identifier of the message queue with {@code key}, creating it if {@code msgflg} has
         * {@code IPC_CREAT}; -1 and errno on failure.
         *
         * @see <a href="https://man7.org/linux/man-pages/man2/msgget.2.html">msgget(2)</a>
         */
        int msgget(int key, int msgflg) throws LastErrorException;
    }
}
// end::sample[]
