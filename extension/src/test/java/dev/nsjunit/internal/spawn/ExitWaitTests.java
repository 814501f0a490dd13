package dev.nsjunit.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExitWaitTests {

    @Test
    @DisplayName("a child's exit wakes the wait through its pidfd, without polling")
    void exitWakesTheWait() throws IOException, InterruptedException {
        Process child = new ProcessBuilder("sleep", "0.3").start();
        AtomicInteger polls = new AtomicInteger();

        boolean exited = ExitWait.exitedWithin((int) child.pid(), Duration.ofSeconds(30), () -> {
            polls.incrementAndGet();
            return !child.isAlive();
        });

        assertThat(exited).isTrue();
        assertThat(child.waitFor()).isZero();
        assertThat(polls).as("times the exit was polled for").hasValue(0);
    }

    @Test
    @DisplayName("a child that outlives the grace period is reported as running")
    void graceRunsOut() throws IOException, InterruptedException {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(ExitWait.exitedWithin((int) child.pid(), Duration.ofMillis(200), () -> !child.isAlive()))
                    .isFalse();
            assertThat(child.isAlive()).isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }
}
