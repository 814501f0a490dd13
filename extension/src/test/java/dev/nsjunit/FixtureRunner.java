package dev.nsjunit;

import dev.nsjunit.fixtures.Marks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * Runs fixtures through the real Jupiter engine. EngineTestKit ignores junit-platform.properties, so every
 * nsjunit key a test relies on is passed explicitly; fixtures leave marks in {@code marksFile}.
 */
public final class FixtureRunner {

    private final Path marksFile;
    private final Map<String, String> configuration;

    public FixtureRunner(Path directory) {
        this(directory, Map.of("nsjunit.child.timeout", "2m", "nsjunit.report.console", "false"));
    }

    private FixtureRunner(Path directory, Map<String, String> configuration) {
        this.marksFile = directory.resolve("marks.txt");
        this.configuration = configuration;
    }

    public FixtureRunner with(String key, String value) {
        Map<String, String> more = new java.util.HashMap<>(configuration);
        more.put(key, value);
        return new FixtureRunner(marksFile.getParent(), more);
    }

    public EngineExecutionResults run(DiscoverySelector... selectors) {
        return withMarks(() -> EngineTestKit.engine("junit-jupiter").configurationParameters(configuration)
                .selectors(selectors).execute());
    }

    /** The configuration parameters {@link #run} passes, for a test that runs fixtures through a Launcher itself. */
    public Map<String, String> configuration() {
        return configuration;
    }

    /** Runs {@code action} with fixtures leaving their marks in this runner's file. */
    public <T> T withMarks(Supplier<T> action) {
        String previous = System.setProperty(Marks.FILE_PROPERTY, marksFile.toString());
        try {
            return action.get();
        } finally {
            if (previous == null) {
                System.clearProperty(Marks.FILE_PROPERTY);
            } else {
                System.setProperty(Marks.FILE_PROPERTY, previous);
            }
        }
    }

    /** The marks left so far, one "what pid hostname" line each. */
    public List<String> marks() {
        try {
            return Files.exists(marksFile) ? Files.readAllLines(marksFile) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String thisPid() {
        return Long.toString(ProcessHandle.current().pid());
    }

    /** All report entries the tests of {@code results} published, merged per test in order. */
    public static List<Map<String, String>> reportEntries(EngineExecutionResults results) {
        List<Map<String, String>> entries = new ArrayList<>();
        for (Event event : results.testEvents().reportingEntryPublished().list()) {
            event.getPayload(ReportEntry.class).ifPresent(entry -> entries.add(entry.getKeyValuePairs()));
        }
        return entries;
    }

    public static Map<String, String> entriesWithPrefix(EngineExecutionResults results, String prefix) {
        return reportEntries(results).stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b));
    }

    /** Asserts that exactly {@code count} tests ran and all passed, naming each failure and its throwable if not. */
    public static void assertAllSucceeded(EngineExecutionResults results, int count) {
        List<String> problems = results.testEvents().filter(e -> e.getType() == EventType.FINISHED).map(e -> {
            org.junit.platform.engine.TestExecutionResult result =
                    e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow();
            return result.getStatus() == org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL ? null
                    : e.getTestDescriptor().getDisplayName() + " " + result.getStatus() + ": "
                            + result.getThrowable().map(Throwable::toString).orElse("");
        }).filter(java.util.Objects::nonNull).collect(Collectors.toList());
        if (!problems.isEmpty()) {
            throw new AssertionError("not every test passed:\n  " + String.join("\n  ", problems));
        }
        results.testEvents().assertStatistics(stats -> stats.started(count).succeeded(count));
    }

    /** Each finished test's display name, with its throwable's message, or "passed". */
    public static Map<String, String> messagesByTest(EngineExecutionResults results) {
        return results.testEvents().filter(e -> e.getType() == EventType.FINISHED)
                .collect(Collectors.toMap(e -> e.getTestDescriptor().getDisplayName(), e -> e.getPayload(
                        org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                        .map(Throwable::getMessage).orElse("passed")));
    }

    public static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> finished = results.testEvents().filter(e -> e.getType() == EventType.FINISHED)
                .collect(Collectors.toList());
        if (finished.size() != 1) {
            throw new AssertionError("expected one finished test, got " + finished);
        }
        return finished.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow(() -> new AssertionError("the test did not fail: " + finished));
    }
}
