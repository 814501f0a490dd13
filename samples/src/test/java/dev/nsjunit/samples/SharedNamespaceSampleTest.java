package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.InNamespace;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two tests, two JVMs, one network namespace: what the first configures, the second finds. user = true makes it
 * work without root. Shown in docs/concepts/keep-alive.md.
 */
@Tag("rootless")
// tag::shared[]
@InNamespace(user = true, net = true, shared = "lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedNamespaceSampleTest {

    @Test
    @Order(1)
    void configuresTheNetwork() throws Exception {
        assertThat(KeepAliveSampleTest.run("ip", "address", "add", "10.42.0.1/32", "dev", "lo")).isEmpty();
    }

    @Test
    @Order(2)
    void findsItInTheNextJvm() throws Exception {
        // Another JVM, the same namespace: kept by nsjunit between the two tests, released at the end of the run.
        assertThat(Collections.list(NetworkInterface.getByName("lo").getInetAddresses()))
                .contains(InetAddress.getByName("10.42.0.1"));
    }
}
// end::shared[]
