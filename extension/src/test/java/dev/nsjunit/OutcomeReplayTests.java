package dev.nsjunit;

import static dev.nsjunit.FixtureRunner.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.OutcomesTestCase;
import dev.nsjunit.fixtures.OutputTestCase;
import dev.nsjunit.internal.parent.ChildJvmException;
import dev.nsjunit.internal.parent.ChildThrowable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;
import org.opentest4j.TestAbortedException;

/** The parent reports the child's outcome as its own. */
class OutcomeReplayTests {

    @TempDir
    Path temp;

    private EngineExecutionResults run(String method) {
        return new FixtureRunner(temp).run(selectMethod(OutcomesTestCase.class, method));
    }

    @Test
    @DisplayName("a test that passes in the child passes")
    void passes() {
        run("passes").testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    @DisplayName("a failure keeps its class, message, cause, suppressed and the child's stack trace")
    void failureIsReplayedFaithfully() {
        Throwable failure = onlyFailure(run("throwsWithCause"));

        assertThat(failure).isExactlyInstanceOf(IllegalStateException.class).hasMessage("boom")
                .cause().isExactlyInstanceOf(IOException.class).hasMessage("root cause");
        assertThat(failure.getSuppressed()).singleElement().isExactlyInstanceOf(IllegalArgumentException.class)
                .extracting(Throwable::getMessage).isEqualTo("also this");
        assertThat(Arrays.asList(failure.getStackTrace())).anyMatch(frame ->
                frame.getClassName().equals(OutcomesTestCase.class.getName())
                        && frame.getMethodName().equals("throwsWithCause"));
    }

    @Test
    @DisplayName("an opentest4j assertion failure keeps expected and actual")
    void assertionFailureKeepsExpectedAndActual() {
        Throwable failure = onlyFailure(run("failsAnAssertion"));

        assertThat(failure).isExactlyInstanceOf(AssertionFailedError.class)
                .hasMessage("values differ ==> expected: <expected text> but was: <actual text>");
        AssertionFailedError assertion = (AssertionFailedError) failure;
        assertThat(assertion.getExpected().getValue()).isEqualTo("expected text");
        assertThat(assertion.getActual().getValue()).isEqualTo("actual text");
    }

    @Test
    @DisplayName("a MultipleFailuresError keeps each failure, with its expected and actual")
    void multipleFailuresKeepEachFailure() {
        Throwable failure = onlyFailure(run("failsSeveralAssertions"));

        assertThat(failure).isExactlyInstanceOf(MultipleFailuresError.class).hasMessageStartingWith("both checks");
        List<Throwable> failures = ((MultipleFailuresError) failure).getFailures();
        assertThat(failures).extracting(Throwable::getMessage)
                .containsExactly("first ==> expected: <1> but was: <2>", "second ==> expected: <x> but was: <y>");
        assertThat(((AssertionFailedError) failures.get(1)).getExpected().getValue()).isEqualTo("x");
    }

    @Test
    @DisplayName("expected and actual values of the project's own types (records, enums) survive the trip")
    void valuesOfOwnTypesSurvive() {
        Throwable failure = onlyFailure(run("failsOnValuesOfItsOwnTypes"));

        List<Throwable> failures = ((MultipleFailuresError) failure).getFailures();
        assertThat(((AssertionFailedError) failures.get(0)).getExpected().getValue())
                .isEqualTo(new OutcomesTestCase.Point(1, 2));
        assertThat(((AssertionFailedError) failures.get(1)).getActual().getValue())
                .isEqualTo(OutcomesTestCase.Color.BLUE);
    }

    @Test
    @DisplayName("the child's OutOfMemoryError fails that test only, not the whole run")
    void outOfMemoryInTheChildFailsOnlyThatTest() {
        Throwable failure = onlyFailure(run("runsOutOfMemory"));

        assertThat(failure).isInstanceOf(ChildJvmException.class)
                .hasMessageStartingWith("the child JVM ran out of memory: simulated in the child")
                .cause().isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    @DisplayName("an assumption that fails in the child aborts the test with its message")
    void abortedStaysAborted() {
        EngineExecutionResults results = run("isAborted");

        results.testEvents().assertStatistics(stats -> stats.aborted(1).failed(0).succeeded(0));
        Throwable abort = results.testEvents().aborted().list().get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        assertThat(abort).isInstanceOf(TestAbortedException.class).hasMessage("Assumption failed: not on this machine");
    }

    @Test
    @DisplayName("a throwable that cannot be serialized becomes a stand-in naming the original class")
    void notSerializableBecomesAStandIn() {
        Throwable failure = onlyFailure(run("throwsSomethingNotSerializable"));

        assertThat(failure).isInstanceOf(ChildThrowable.class).hasMessage("cannot cross as bytes")
                .hasToString(OutcomesTestCase.NotSerializableFailure.class.getName() + ": cannot cross as bytes");
        assertThat(((ChildThrowable) failure).originalClassName())
                .isEqualTo(OutcomesTestCase.NotSerializableFailure.class.getName());
        assertThat(failure.getStackTrace()[0].getMethodName()).isEqualTo("throwsSomethingNotSerializable");
    }

    @Test
    @DisplayName("the child's stdout and stderr reach this JVM's System.out and System.err")
    void forwardsOutput() {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            new FixtureRunner(temp).run(selectMethod(OutputTestCase.class, "prints"))
                    .testEvents().assertStatistics(stats -> stats.succeeded(1));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("to stdout from the child\n")
                .doesNotContain("to stderr from the child");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("to stderr from the child\n")
                .doesNotContain("to stdout from the child");
    }
}
