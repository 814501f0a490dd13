package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.InNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@InNamespace(uts = true, pid = true, hostname = "box")
class MyTest {

    @Test
    void isPid1() {
        assertThat(ProcessHandle.current().pid()).isEqualTo(1L);
    }

    @Test
    void hasItsOwnHostname() throws Exception {
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim()).isEqualTo("box");
    }
}
