package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.nsjunit.InNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A user namespace (Linux 3.8) makes a test root with every capability, over what the namespace owns only: your
 * uid is mapped to 0 inside, files it creates belong to you outside, and the host's namespaces stay out of reach.
 * This is what lets an unprivileged user ask for the other types.
 */
// tag::sample[]
@Tag("rootless")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserNamespaceSampleTest {

    private static final Path FILE = Path.of("target", "nsjunit-user-sample.txt").toAbsolutePath();
    private static final int EPERM = 1;

    @Test
    @Order(1)
    @InNamespace(user = true)
    void isRootWithEveryCapability() throws IOException {
        // readAllLines, not readString: Java reads a file of size 0 one byte first, and an integer sysctl answers
        // a read past offset 0 with end-of-file, so readString would give "4" for 40.
        long lastCapability = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).get(0));

        assertThat(status("Uid")).isEqualTo("0\t0\t0\t0");
        assertThat(Long.parseLong(status("CapEff"), 16)).isEqualTo((1L << (lastCapability + 1)) - 1);
    }

    @Test
    @Order(2)
    @InNamespace(user = true)
    void writesAFileAsRoot() throws IOException {
        Files.writeString(FILE, "written by uid 0");

        assertThat(Files.getAttribute(FILE, "unix:uid")).isEqualTo(0);
    }

    @Test
    @Order(3)
    void hostSeesTheFileOwnedByWhoeverRanTheTests() throws IOException {
        int realUid = Integer.parseInt(status("Uid").split("\t")[0]);

        assertThat(Files.getAttribute(FILE, "unix:uid")).isEqualTo(realUid);
        Files.delete(FILE);
    }

    @Test
    @Order(4)
    @InNamespace(user = true)
    void cannotRenameTheHost() throws IOException {
        // Every capability, yet EPERM: the host name belongs to the host's UTS namespace, which the host's user
        // namespace owns, and capabilities count only in namespaces their own user namespace owns. The name asked
        // for is the host's own, so that not even a kernel bug could change anything.
        byte[] hostsOwnName = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip()
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Uts.LIBC.sethostname(hostsOwnName, hostsOwnName.length))
                .isInstanceOfSatisfying(LastErrorException.class, e -> assertThat(e.getErrorCode()).isEqualTo(EPERM));
    }

    /** A field of /proc/self/status, such as "Uid" (real, effective, saved and file-system uid, tab-separated). */
    private static String status(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1).strip())
                .findFirst().orElseThrow();
    }

    /** The one call this sample needs, from {@code <unistd.h>}. */
    interface Uts extends Library {

        Uts LIBC = Native.load("c", Uts.class);

        /**
         * Sets the host name of the caller's UTS namespace; 0, or -1 and errno (EPERM without
         * {@code CAP_SYS_ADMIN} in the user namespace that owns it).
         *
         * @see <a href="https://man7.org/linux/man-pages/man2/sethostname.2.html">sethostname(2)</a>
         */
        int sethostname(byte[] name, long len) throws LastErrorException;
    }
}
// end::sample[]
