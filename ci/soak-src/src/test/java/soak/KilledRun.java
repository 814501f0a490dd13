package soak;

import dev.nsjunit.InNamespace;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The run ci/soak SIGKILLs mid-way: namespaces kept for a shared key (bind mounts in a run directory), then tests
 * that each leave a process running, with and without a pid namespace, while a child started ahead waits.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@InNamespace(uts = true)
class KilledRun {

    @Test
    @Order(1)
    @InNamespace(uts = true, shared = "soak-killed")
    void keepsSharedNamespaces() {
    }

    @RepeatedTest(value = 100, name = "group {currentRepetition}")
    @Order(2)
    void sleepsInItsGroup(RepetitionInfo repetition) throws Exception {
        sleep(30, repetition.getCurrentRepetition());
    }

    @RepeatedTest(value = 100, name = "pid {currentRepetition}")
    @Order(3)
    @InNamespace(uts = true, pid = true)
    void sleepsInItsPidNamespace(RepetitionInfo repetition) throws Exception {
        sleep(31, repetition.getCurrentRepetition());
    }

    private static void sleep(int code, int index) throws Exception {
        new ProcessBuilder("sleep", Processes.seconds(code, index)).start();
        Thread.sleep(300);
    }
}
