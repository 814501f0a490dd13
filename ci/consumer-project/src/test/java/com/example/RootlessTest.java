package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.InNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@InNamespace(user = true, uts = true, pid = true, hostname = "box")
class RootlessTest {

    @Test
    void isPid1() {
        assertThat(ProcessHandle.current().pid()).isEqualTo(1L);
    }

    @Test
    void isRootInsideWithItsOwnHostname() throws Exception {
        assertThat(Files.readAllLines(Path.of("/proc/self/status"))).anyMatch(l -> l.matches("Uid:\\s+0\\s+0\\s+0\\s+0"));
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim()).isEqualTo("box");
    }
}
