package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.InNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A network namespace (Linux 2.6.29) gives a test devices, addresses and ports of its own: it starts with a loopback
 * device, which nsjunit brings up, and a port it listens on is not taken on the host. Where a tunnel module is loaded
 * (ipip, sit, ip_gre, ...), the kernel also gives every new network namespace that module's fallback device, down,
 * unless the sysctl net.core.fb_tunnels_only_for_init_net says otherwise.
 */
// tag::sample[]
class NetNamespaceSampleTest {

    private static final int PORT = 47113;

    @Test
    @InNamespace(net = true)
    void hasLoopbackUpAndNoDeviceOfTheHost() throws IOException {
        // Ask the kernel: /proc/self/net/dev lists every device of this namespace, up or down. /sys/class/net would
        // still list the host's, because sysfs shows the network namespace of whoever mounted it.
        List<String> devices = Files.readAllLines(Path.of("/proc/self/net/dev")).stream().skip(2)
                .map(line -> line.substring(0, line.indexOf(':')).trim()).toList();

        assertThat(devices).contains("lo").allMatch(name -> name.equals("lo") || FALLBACK_TUNNELS.contains(name));
        assertThat(NetworkInterface.getByName("lo").isUp()).isTrue();
        for (String tunnel : devices.stream().filter(FALLBACK_TUNNELS::contains).toList()) {
            assertThat(NetworkInterface.getByName(tunnel).isUp()).as("fallback device %s", tunnel).isFalse();
        }
    }

    /** The devices tunnel modules add to each new network namespace, named as the kernel's drivers name them. */
    private static final List<String> FALLBACK_TUNNELS = List.of("tunl0", "sit0", "gre0", "gretap0", "erspan0",
            "ip_vti0", "ip6_vti0", "ip6tnl0", "ip6gre0");

    @Test
    @InNamespace(net = true)
    void listensOnAPortTheHostDoesNotSee() throws IOException {
        try (ServerSocket server = new ServerSocket(PORT, 1, InetAddress.getLoopbackAddress())) {
            long hostJvm = ProcessHandle.current().parent().orElseThrow().pid();

            assertThat(listeningPorts("self")).contains(PORT);
            assertThat(listeningPorts(Long.toString(hostJvm))).doesNotContain(PORT);
        }
    }

    /**
     * The ports with a listening TCP socket in the network namespace of process {@code pid}: {@code /proc/<pid>/net}
     * shows that process's namespace, whoever reads it.
     */
    private static List<Integer> listeningPorts(String pid) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", pid, "net", table);
            if (!Files.exists(file)) {
                continue; // no IPv6 on this machine
            }
            for (String line : Files.readAllLines(file)) {
                // "  sl  local_address rem_address   st ...": the local port is hex after the colon; st 0A is LISTEN.
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A")) {
                    ports.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
// end::sample[]
