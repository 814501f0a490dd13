package soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nsjunit.InNamespace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The eleven kinds of test the soak runs, each a parameterized test whose invocations are isolated one by one. Two
 * laps (subclasses) run them all, so that the test JVM's descriptors and threads can be compared between the end of
 * the first lap (everything warmed up) and the end of the second. The method order is the kinds' order in
 * {@link Expectations}.
 */
@InNamespace(uts = true)
abstract class Soak {

    static final String TIMEOUT_SLEEP = "10";

    /** The indices of this method's kind in this lap; the kind is the method's position in {@link Expectations#METHODS}. */
    static IntStream invocations(TestInfo info) {
        int lap = info.getTestClass().orElseThrow() == FirstLap.class ? 1 : 2;
        String method = info.getTestMethod().orElseThrow().getName();
        int kind = Expectations.kindOf(method);
        IntStream indices = Share.indices(kind, lap);
        // Two methods share the background kind: even indices without a pid namespace, odd ones with.
        if (method.equals("leavesProcesses")) {
            return indices.filter(i -> i % 2 == 0);
        }
        if (method.equals("leavesProcessesInPidNamespace")) {
            return indices.filter(i -> i % 2 == 1);
        }
        return indices;
    }

    @ParameterizedTest(name = "assertion {0}")
    @MethodSource("soak.Soak#invocations")
    void failsAnAssertion(int i) {
        assertEquals(i, -i - 1, "soak assertion " + i);
    }

    @ParameterizedTest(name = "throw {0}")
    @MethodSource("soak.Soak#invocations")
    void throwsAnException(int i) throws Exception {
        if (i % 2 == 0) {
            throw new IOException("soak checked " + i);
        }
        throw new SoakException("soak custom " + i, new IllegalStateException("soak cause " + i));
    }

    @ParameterizedTest(name = "exit {0}")
    @MethodSource("soak.Soak#invocations")
    void exits(int i) {
        System.exit(i % 64);
    }

    @ParameterizedTest(name = "halt {0}")
    @MethodSource("soak.Soak#invocations")
    void halts(int i) {
        Runtime.getRuntime().halt(64 + i % 64);
    }

    @ParameterizedTest(name = "kill {0}")
    @MethodSource("soak.Soak#invocations")
    void killsItself(int i) throws Exception {
        String pid = Long.toString(ProcessHandle.current().pid());
        if (i % 2 == 0) {
            new ProcessBuilder("kill", "-9", pid).start().waitFor();
        } else {
            new ProcessBuilder("sh", "-c", "kill -9 $PPID").start().waitFor();
        }
        Thread.sleep(60_000);
    }

    @ParameterizedTest(name = "timeout {0}")
    @MethodSource("soak.Soak#invocations")
    @Timeout(value = 500, unit = TimeUnit.MILLISECONDS)
    void timesOut(int i) throws IOException {
        new ProcessBuilder("sleep", Processes.seconds(Integer.parseInt(TIMEOUT_SLEEP), i)).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException ignored) {
                // a test that ignores interrupts: only killing its tree ends it
            }
        }
    }

    @ParameterizedTest(name = "stack {0}")
    @MethodSource("soak.Soak#invocations")
    void overflowsItsStack(int i) {
        recurse(i);
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @ParameterizedTest(name = "heap {0}")
    @MethodSource("soak.Soak#invocations")
    void runsOutOfHeap(int i) {
        List<long[]> hog = new ArrayList<>();
        while (true) {
            hog.add(new long[1024 * 1024]);
        }
    }

    @ParameterizedTest(name = "background {0}")
    @MethodSource("soak.Soak#invocations")
    void leavesProcesses(int i) throws Exception {
        startBackground(i);
    }

    @ParameterizedTest(name = "background {0}")
    @MethodSource("soak.Soak#invocations")
    @InNamespace(uts = true, pid = true)
    void leavesProcessesInPidNamespace(int i) throws Exception {
        startBackground(i);
    }

    /** Variant by index: a plain child process, one in its own session, one double-forked into its own session. */
    static void startBackground(int i) throws Exception {
        String seconds = Processes.seconds(20 + (i / 2) % 3, i);
        switch ((i / 2) % 3) {
            case 0 -> new ProcessBuilder("sleep", seconds).start();
            case 1 -> new ProcessBuilder("setsid", "sleep", seconds).inheritIO().start();
            default -> new ProcessBuilder("sh", "-c", "(setsid sleep " + seconds + " &)").inheritIO().start().waitFor();
        }
        // The processes must be running when the test ends, or there would be nothing to clean up.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Processes.running(seconds).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @ParameterizedTest(name = "flood {0}")
    @MethodSource("soak.Soak#invocations")
    void floods(int i) {
        byte[] bytes = Flood.content(i);
        System.out.write(bytes, 0, bytes.length);
        System.out.flush();
    }

    @ParameterizedTest(name = "aborted {0}")
    @MethodSource("soak.Soak#invocations")
    void isAborted(int i) {
        assumeTrue(false, "soak assumption " + i);
    }
}
