package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.nsjunit.InNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A mount namespace (Linux 2.4.19, the first namespace of all) gives a test a mount table of its own: a file
 * system mounted inside, and every file written on it, stays out of the host's sight and is gone with the
 * namespace.
 */
// tag::sample[]
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MountNamespaceSampleTest {

    private static final Path MOUNT_POINT = Path.of("target", "nsjunit-mnt-sample").toAbsolutePath();

    @Test
    @Order(1)
    @InNamespace(mnt = true)
    void mountsATmpfs() throws IOException {
        // Directories are not namespaced: this one is created on the host's file system, only the mount is private.
        Files.createDirectories(MOUNT_POINT);
        Mount.LIBC.mount("tmpfs", MOUNT_POINT.toString(), "tmpfs", 0, null);
        Files.writeString(MOUNT_POINT.resolve("written-inside.txt"), "on the tmpfs");

        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(" " + MOUNT_POINT + " ");
    }

    @Test
    @Order(2)
    void hostSeesNeitherTheMountNorTheFile() throws IOException {
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(MOUNT_POINT.toString());
        assertThat(MOUNT_POINT).isEmptyDirectory();
        Files.delete(MOUNT_POINT);
    }

    /** The one call this sample needs, from {@code <sys/mount.h>}. */
    interface Mount extends Library {

        Mount LIBC = Native.load("c", Mount.class);

        /**
         * Attaches the file system {@code source} of type {@code filesystemtype} at {@code target}; 0, or -1 and
         * errno on failure.
         *
         * @see <a href="https://man7.org/linux/man-pages/man2/mount.2.html">mount(2)</a>
         */
        int mount(String source, String target, String filesystemtype, long mountflags, Pointer data)
                throws LastErrorException;
    }
}
// end::sample[]
