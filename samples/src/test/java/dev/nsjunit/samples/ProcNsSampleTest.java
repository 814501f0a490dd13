package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.InNamespace;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Which namespaces a process is in, read from {@code /proc/<pid>/ns}: two processes share a namespace exactly when
 * the inode numbers there are equal. Shown in docs/concepts/proc-ns.md.
 */
@Tag("rootless")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcNsSampleTest {

    private static final Path INSIDE = Path.of("target", "nsjunit-proc-ns-sample.txt").toAbsolutePath();

    // tag::link[]
    @Test
    @Order(1)
    void theLinkNamesTheInode() throws IOException {
        Path uts = Path.of("/proc/self/ns/uts");

        String link = Files.readSymbolicLink(uts).toString(); // what `ls -l` and `readlink` show
        long inode = (Long) Files.getAttribute(uts, "unix:ino"); // what `stat -L` shows: the link is followed

        assertThat(link).isEqualTo("uts:[" + inode + "]");
        assertThat(Namespaces.current().inode(NamespaceType.UTS)).isEqualTo(inode);
    }
    // end::link[]

    // tag::child[]
    @Test
    @Order(2)
    void aProcessStartedTheUsualWayIsInEveryNamespaceOfItsParent() throws IOException, InterruptedException {
        Process child = new ProcessBuilder("sh", "-c", "readlink /proc/self/ns/uts; exec cat").start();
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String childsUts = output.readLine(); // once read, the child is past its exec and still running

            assertThat(childsUts).isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/uts")).toString());
            assertThat(Namespaces.of(child.pid()).differingTypes(Namespaces.current())).isEmpty();
        } finally {
            child.getOutputStream().close(); // cat ends on end of input
            child.waitFor();
        }
    }
    // end::child[]

    // tag::isolated[]
    @Test
    @Order(3)
    @InNamespace(user = true, uts = true)
    void recordsItsNamespaces() throws IOException {
        // Written for the next test to compare: from inside a new user namespace, the first JVM's
        // /proc/<pid>/ns cannot be read (that needs CAP_SYS_PTRACE in the first JVM's user namespace).
        Files.write(INSIDE, Namespaces.current().inodes().entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.toList()));
    }

    @Test
    @Order(4)
    void theIsolatedTestDifferedInExactlyTheRequestedTypes() throws IOException {
        Map<NamespaceType, Long> inside = new EnumMap<>(NamespaceType.class);
        for (String line : Files.readAllLines(INSIDE)) {
            String[] typeAndInode = line.split(" ");
            inside.put(NamespaceType.ofProcName(typeAndInode[0]), Long.parseLong(typeAndInode[1]));
        }
        Files.delete(INSIDE);
        Namespaces here = Namespaces.current();

        assertThat(here.types()).filteredOn(type -> inside.get(type) != here.inode(type))
                .containsExactlyInAnyOrder(NamespaceType.USER, NamespaceType.UTS);
    }
    // end::isolated[]
}
