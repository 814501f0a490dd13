package dev.nsjunit.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PrimingTests {

    @Test
    @DisplayName("an Error in the priming run is reported in the text, and the child goes on")
    void errorIsReported() {
        String report = Priming.run(() -> {
            throw new AssertionError("boom");
        });

        assertThat(report).isEqualTo("priming JUnit failed: java.lang.AssertionError: boom");
    }

    @Test
    @DisplayName("a VirtualMachineError in the priming run is reported in the text and printed in full on stderr")
    void virtualMachineErrorIsPrinted() {
        // Not an OutOfMemoryError, which JUnit would take for the test JVM's own and end the whole run with, were
        // the priming to let it through.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String report = withErr(err, () -> Priming.run(() -> {
            throw new StackOverflowError("deep");
        }));

        assertThat(report).isEqualTo("priming JUnit failed: java.lang.StackOverflowError: deep");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("java.lang.StackOverflowError: deep")
                .contains("\tat " + PrimingTests.class.getName());
    }

    @Test
    @DisplayName("JUnit's loggers are off while the priming runs, and as they were after")
    void junitLoggingIsOffDuringThePrimingOnly() {
        Logger junit = Logger.getLogger("org.junit");
        Level before = junit.getLevel();
        junit.setLevel(Level.WARNING);
        try {
            boolean[] loggable = new boolean[1];
            String report = Priming.run(() -> {
                loggable[0] = Logger.getLogger("org.junit.platform.launcher.core").isLoggable(Level.SEVERE);
                return new Finished(Status.SUCCESSFUL, null);
            });

            assertThat(report).isEqualTo(Priming.PRIMED);
            assertThat(loggable[0]).as("a JUnit logger logs SEVERE while the priming runs").isFalse();
            assertThat(junit.getLevel()).isEqualTo(Level.WARNING);
        } finally {
            junit.setLevel(before);
        }
    }

    private static <T> T withErr(ByteArrayOutputStream err, Supplier<T> run) {
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return run.get();
        } finally {
            System.setErr(original);
        }
    }
}
