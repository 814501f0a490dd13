package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nsjunit.InNamespace;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A time namespace (Linux 5.6) gives a test its own offsets for the monotonic and boot-time clocks. A new one starts
 * with the offsets of the namespace it was made from, and nsjunit's child JVM enters it at {@code execve} (which
 * needs Linux 6.2), after which they cannot change: the test's clocks read as the test JVM's, in a namespace of its
 * own.
 */
// tag::sample[]
class TimeNamespaceSampleTest {

    @Test
    @InNamespace(time = true)
    void isInATimeNamespaceOfItsOwn() {
        long hostJvm = ProcessHandle.current().parent().orElseThrow().pid();

        assertThat(Namespaces.current().inode(NamespaceType.TIME))
                .isNotEqualTo(Namespaces.of(hostJvm).inode(NamespaceType.TIME));
    }

    @Test
    @InNamespace(time = true)
    void startsWithTheOffsetsOfTheTestJvmsNamespace() throws IOException {
        long hostJvm = ProcessHandle.current().parent().orElseThrow().pid();

        assertThat(Files.readAllLines(Path.of("/proc/self/timens_offsets")))
                .isEqualTo(Files.readAllLines(Path.of("/proc/" + hostJvm + "/timens_offsets")));
    }

    @Test
    @InNamespace(time = true)
    void cannotShiftItsClocks() {
        // The kernel takes offsets only until the first process enters the namespace, and this JVM is in it.
        assertThatThrownBy(() -> Files.writeString(Path.of("/proc/self/timens_offsets"), "boottime 86400 0"))
                .isInstanceOf(IOException.class).hasMessageContaining("Permission denied");
    }
}
// end::sample[]
