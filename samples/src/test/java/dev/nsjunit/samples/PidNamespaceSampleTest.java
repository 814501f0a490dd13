package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.InNamespace;
import java.io.IOException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A PID namespace (Linux 2.6.24) numbers a test's processes from 1: the test JVM is PID 1, and, with a mount
 * namespace for a fresh {@code /proc}, it sees only the processes it started. Whatever it leaves running dies
 * with it.
 */
// tag::sample[]
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PidNamespaceSampleTest {

    /** An argument no other sleep on the host is likely to have, so the host side can look for this one. */
    private static final String SECONDS = "4711";

    @Test
    @Order(1)
    @InNamespace(pid = true)
    void isPid1() {
        assertThat(ProcessHandle.current().pid()).isEqualTo(1L);
    }

    @Test
    @Order(2)
    @InNamespace(pid = true, mnt = true) // without a mount namespace, /proc is the host's and lists all its processes
    void seesOnlyTheProcessesItStarted() throws IOException {
        // Left running on purpose: when PID 1 exits, the kernel kills every process left in its namespace.
        Process sleep = new ProcessBuilder("sleep", SECONDS).start();

        assertThat(ProcessHandle.allProcesses().map(ProcessHandle::pid)).containsExactlyInAnyOrder(1L, sleep.pid());
    }

    @Test
    @Order(3)
    void hostHasNoSleepLeft() {
        // The host sees every process of a pid namespace, under numbers of its own; none of them is left.
        assertThat(ProcessHandle.allProcesses().map(process -> process.info().commandLine().orElse("")))
                .noneMatch(commandLine -> commandLine.endsWith("sleep " + SECONDS));
    }
}
// end::sample[]
