package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.FactoryTestCase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** A @TestFactory and its dynamic tests run in one child; the parent reports each under its own name. */
class FactoryTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("the factory and its dynamic tests run in one child; each dynamic test and container is reported "
            + "with its own name, nesting and outcome")
    void dynamicTestsAreReplayed() {
        FixtureRunner runner = new FixtureRunner(temp);
        EngineExecutionResults results = runner.run(selectMethod(FactoryTestCase.class, "factory"));

        Map<String, TestExecutionResult> outcomes = results.allEvents().filter(e -> e.getType() == EventType.FINISHED)
                .collect(Collectors.toMap(e -> e.getTestDescriptor().getDisplayName(),
                        e -> e.getPayload(TestExecutionResult.class).orElseThrow()));
        assertThat(outcomes.get("passes").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(outcomes.get("fails").getThrowable()).get().isInstanceOf(IllegalStateException.class)
                .extracting(Throwable::getMessage).isEqualTo("dynamic boom");
        assertThat(outcomes.get("group").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(outcomes.get("inner passes").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(outcomes.get("inner aborted").getStatus()).isEqualTo(TestExecutionResult.Status.ABORTED);
        assertThat(outcomes.get("inner aborted").getThrowable()).get().extracting(Throwable::getMessage)
                .isEqualTo("Assumption failed: not here");
        Event inner = results.testEvents().finished().filter(e -> e.getTestDescriptor().getDisplayName()
                .equals("inner passes")).findFirst().orElseThrow();
        assertThat(inner.getTestDescriptor().getUniqueId().toString())
                .endsWith("[test-factory:factory()]/[dynamic-container:#3]/[dynamic-test:#1]");

        List<String> marks = runner.marks();
        assertThat(marks).extracting(m -> m.split(" ")[0]).containsExactly("factory", "passes", "inner");
        assertThat(marks).extracting(m -> m.split(" ")[1]).containsOnly(marks.get(0).split(" ")[1])
                .doesNotContain(FixtureRunner.thisPid());
    }

    @Test
    @DisplayName("a factory stream that throws midway reports the dynamic tests that ran, then fails the factory")
    void streamFailingMidway() {
        EngineExecutionResults results = new FixtureRunner(temp).run(selectMethod(FactoryTestCase.class,
                "streamFailsMidway"));

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        Throwable failure = results.containerEvents().failed().list().get(0).getPayload(TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        assertThat(failure).isExactlyInstanceOf(IllegalStateException.class).hasMessage("no third");
    }

    @Test
    @DisplayName("a factory that throws in the child fails as the factory, with the child's exception")
    void throwingFactory() {
        EngineExecutionResults results = new FixtureRunner(temp).run(selectMethod(FactoryTestCase.class,
                "throwingFactory"));

        Throwable failure = results.containerEvents().failed().list().get(0).getPayload(TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        assertThat(failure).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("factory broke");
        assertThat(results.testEvents().started().count()).isZero();
    }
}
