package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.nsjunit.fixtures.ParallelTestCase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** JUnit's parallel execution: children at the same time, each with its own namespaces, outcome and output. */
class ParallelTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("four isolated tests run concurrently, each in its own namespaces, with whole lines of output")
    void runsConcurrently() {
        FixtureRunner runner = new FixtureRunner(temp)
                .with("junit.jupiter.execution.parallel.enabled", "true")
                .with("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .with("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .with("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        EngineExecutionResults results;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            results = runner.run(selectClass(ParallelTestCase.class));
        } finally {
            System.setOut(original);
        }

        FixtureRunner.assertAllSucceeded(results, 4);
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains(" says line ")).collect(Collectors.toList());
        assertThat(lines).hasSize(800).allMatch(l -> l.matches("p[1-4] says line \\d+ and nothing else"));
        List<String> marks = runner.marks();
        long lastStart = marks.stream().filter(m -> m.startsWith("start-")).mapToLong(ParallelTests::millis).max()
                .orElseThrow();
        long firstEnd = marks.stream().filter(m -> m.startsWith("end-")).mapToLong(ParallelTests::millis).min()
                .orElseThrow();
        assertThat(lastStart).as("some tests overlapped in time").isLessThan(firstEnd);
        assertThat(marks).filteredOn(m -> m.startsWith("start-p1 ")).singleElement().asString().endsWith(" p1");
    }

    private static long millis(String mark) {
        return Long.parseLong(mark.split(" ")[1]);
    }
}
