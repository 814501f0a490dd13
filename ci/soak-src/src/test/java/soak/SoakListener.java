package soak;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Runs in the test JVM: writes each finished test's outcome (with the processes of its own it left running) to
 * outcomes.tsv, brackets each flood test's output with markers on stdout, and samples this JVM's descriptors and
 * threads at the start, after the first lap, and at the end.
 */
final class SoakListener implements TestExecutionListener {

    private final PrintWriter outcomes;
    private final PrintWriter samples;

    SoakListener(Path directory) throws IOException {
        outcomes = new PrintWriter(directory.resolve("outcomes.tsv").toFile(), StandardCharsets.UTF_8);
        samples = new PrintWriter(directory.resolve("samples.txt").toFile(), StandardCharsets.UTF_8);
    }

    void sample(String when) {
        String[] fds = new File("/proc/self/fd").list();
        String[] tasks = new File("/proc/self/task").list();
        samples.println(when + " " + fds.length + " " + tasks.length);
        samples.flush();
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        sample("start");
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        sample("end");
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (id.isTest() && method(id).equals("floods")) {
            System.out.print("SOAK-FLOOD-BEGIN " + lap(id) + " " + index(id) + "\n");
            System.out.flush();
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.getSource().orElse(null) instanceof ClassSource source && source.getJavaClass() == FirstLap.class) {
            sample("lap");
        }
        if (!id.isTest()) {
            return;
        }
        String method = method(id);
        int index = index(id);
        if (method.equals("floods")) {
            System.out.print("SOAK-FLOOD-END " + lap(id) + " " + index + "\n");
            System.out.flush();
        }
        Throwable t = result.getThrowable().orElse(null);
        Throwable cause = t == null ? null : t.getCause();
        String leftovers = null;
        try {
            List<String> left = leftovers(method, index);
            leftovers = left.isEmpty() ? null : String.join("; ", left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Outcome outcome = new Outcome(lap(id), method, index, result.getStatus().name(),
                t == null ? null : t.getClass().getName(), t == null ? null : t.getMessage(),
                cause == null ? null : cause.getClass().getName(), cause == null ? null : cause.getMessage(), leftovers);
        outcomes.println(outcome.line());
        outcomes.flush();
    }

    /** The test's own sleep processes still running a moment after it ended (a SIGKILLed one takes a moment to go). */
    private static List<String> leftovers(String method, int index) throws InterruptedException {
        switch (method) {
            case "timesOut":
                return Processes.stillRunning(Processes.seconds(Integer.parseInt(Soak.TIMEOUT_SLEEP), index), 1_000);
            case "leavesProcesses":
            case "leavesProcessesInPidNamespace":
                return Processes.stillRunning(Processes.seconds(20 + (index / 2) % 3, index), 1_000);
            default:
                return List.of();
        }
    }

    private static String method(TestIdentifier id) {
        return id.getSource().orElse(null) instanceof MethodSource source ? source.getMethodName() : "?";
    }

    private static String lap(TestIdentifier id) {
        return id.getSource().orElse(null) instanceof MethodSource source
                ? source.getClassName().substring(source.getClassName().lastIndexOf('.') + 1) : "?";
    }

    /** The invocation's argument, the last word of its display name ("flood 17"). */
    private static int index(TestIdentifier id) {
        String name = id.getDisplayName();
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf(' ') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void close() {
        outcomes.close();
        samples.close();
        if (outcomes.checkError() || samples.checkError()) {
            throw new UncheckedIOException(new IOException("could not write the soak's outcomes"));
        }
    }
}
