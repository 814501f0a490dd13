package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.InNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A UTS namespace (Linux 2.6.19) gives a test a host name of its own: whatever the test names its machine, the
 * host keeps its name.
 */
// tag::sample[]
// tag::excerpt[]
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UtsNamespaceSampleTest {
    // end::excerpt[]

    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    @Test
    @Order(1)
    @InNamespace(hostname = "box")
    void startsWithTheRequestedHostName() throws IOException {
        assertThat(Files.readString(HOSTNAME).strip()).isEqualTo("box");
    }
    // tag::excerpt[]

    @Test
    @Order(2)
    @InNamespace(uts = true)
    void renamesItsMachine() throws IOException {
        Files.writeString(HOSTNAME, "renamed-inside");

        assertThat(Files.readString(HOSTNAME).strip()).isEqualTo("renamed-inside");
    }

    @Test
    @Order(3)
    void hostKeepsItsName() throws IOException {
        assertThat(Files.readString(HOSTNAME).strip()).isNotIn("box", "renamed-inside");
    }
}
// end::sample[]
// end::excerpt[]
