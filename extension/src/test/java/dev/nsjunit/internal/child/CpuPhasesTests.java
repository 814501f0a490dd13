package dev.nsjunit.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuPhasesTests {

    @TempDir
    Path temp;

    @AfterEach
    void clearProperty() {
        System.clearProperty(CpuPhases.FILE_PROPERTY);
    }

    @Test
    @DisplayName("appends one line per JVM: each phase with the CPU its threads spent since the previous mark")
    void writesOneLineOfPhases() throws Exception {
        Path file = temp.resolve("phases.txt");
        Files.writeString(file, "earlier line\n");
        System.setProperty(CpuPhases.FILE_PROPERTY, file.toString());
        CpuPhases phases = CpuPhases.fromSystemProperty();

        phases.mark("start");
        long until = threadCpuNanos() + 30_000_000; // this thread alone spends 30 ms on the CPU
        while (threadCpuNanos() < until) {
            Thread.onSpinWait();
        }
        phases.mark("busy");
        phases.write();

        assertThat(Files.readAllLines(file)).hasSize(2).last().asString().matches("start=\\d+ busy=\\d+");
        String busy = Files.readAllLines(file).get(1).replaceAll(".*busy=", "");
        assertThat(Long.parseLong(busy)).as("ms of CPU, all threads").isGreaterThanOrEqualTo(30);
    }

    private static long threadCpuNanos() throws Exception {
        String schedstat = Files.readString(Path.of("/proc/thread-self/schedstat"));
        return Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
    }

    @Test
    @DisplayName("without the property it writes nothing")
    void offWithoutTheProperty() throws Exception {
        CpuPhases phases = CpuPhases.fromSystemProperty();

        phases.mark("start");
        phases.write();

        try (var files = Files.list(temp)) {
            assertThat(files).isEmpty();
        }
    }
}
