package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.JoinNamespace;
import dev.nsjunit.NamespaceHandle;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 002's session in Java: a namespace kept alive by a bind mount after its last process is gone, then joined by
 * a test's JVM. Needs root (a bind mount needs CAP_SYS_ADMIN over the host's mount namespace). Shown in
 * docs/concepts/keep-alive.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeepAliveSampleTest {

    static final String LAB = "/run/netns/nsjunit-sample-lab";

    // tag::keep-alive[]
    @Test
    @Order(1)
    void aNamespaceOutlivesItsLastProcess(@TempDir Path directory) throws Exception {
        // unshare --uts: a process alone in a new UTS namespace, which it names "kept"
        Process process = new ProcessBuilder("unshare", "--uts", "sh", "-c", "hostname kept && exec sleep 600")
                .start();
        while (!run("nsenter", "--uts=/proc/" + process.pid() + "/ns/uts", "hostname").equals("kept")) {
            Thread.sleep(10);
        }
        Path file = directory.resolve("uts");
        // touch file; mount --bind /proc/<pid>/ns/uts file
        try (NamespaceHandle kept = Namespaces.keepAlive(process.pid(), NamespaceType.UTS, file)) {
            process.destroyForcibly().waitFor(); // kill <pid>: the last process in it is gone

            assertThat(run("nsenter", "--uts=" + file, "hostname")).isEqualTo("kept");
            assertThat(kept.inode()).isEqualTo(Inodes.of(file));
        } // umount file; rm file: nothing holds the namespace any more, the kernel frees it
        assertThat(file).doesNotExist();
    }
    // end::keep-alive[]

    // tag::join[]
    @Test
    @Order(2)
    void makeALab() throws Exception {
        run("ip", "netns", "delete", "nsjunit-sample-lab"); // left over from an interrupted run, if any
        run("ip", "netns", "add", "nsjunit-sample-lab"); // a net namespace, bind-mounted on /run/netns/...
        run("ip", "-n", "nsjunit-sample-lab", "address", "add", "10.23.0.1/32", "dev", "lo");
    }

    @Test
    @Order(3)
    @JoinNamespace(type = NamespaceType.NET, path = LAB)
    void joinsTheLab() throws Exception {
        // This JVM was started in the lab's namespace: setns before execve, as nsenter --net=/run/netns/... does.
        assertThat(Namespaces.current().inode(NamespaceType.NET)).isEqualTo(Inodes.of(Path.of(LAB)));
        assertThat(Collections.list(NetworkInterface.getByName("lo").getInetAddresses()))
                .contains(InetAddress.getByName("10.23.0.1"));
    }

    @Test
    @Order(4)
    void removeTheLab() throws Exception {
        assertThat(run("ip", "netns", "delete", "nsjunit-sample-lab")).isEmpty();
    }
    // end::join[]

    /** Runs a command and returns its output, trimmed. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor();
        return output;
    }

    /** {@code stat -c %i}: the inode, as {@code /proc/<pid>/ns} shows it for a namespace file. */
    static final class Inodes {
        static long of(Path path) throws IOException {
            return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
        }
    }
}
