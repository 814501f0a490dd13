package dev.nsjunit;

import static dev.nsjunit.FixtureRunner.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.TemplatesTestCase;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/** Each invocation of a test template runs in a child of its own. */
class TemplateTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("each invocation of a @ParameterizedTest runs in its own child and namespaces, under its own name")
    void parameterizedInvocationsEachGetAChild() {
        FixtureRunner runner = new FixtureRunner(temp);
        EngineExecutionResults results = runner.run(selectMethod(TemplatesTestCase.class, "parameterized",
                "java.lang.String, org.junit.jupiter.api.TestReporter"));

        FixtureRunner.assertAllSucceeded(results, 3);
        assertThat(results.testEvents().succeeded().list()).extracting(e -> e.getTestDescriptor().getDisplayName())
                .containsExactly("invocation 1", "invocation 2", "invocation 3");
        List<String> marks = runner.marks();
        assertThat(marks).extracting(m -> m.split(" ")[0])
                .containsExactly("parameterized-a", "parameterized-b", "parameterized-c");
        assertThat(marks).extracting(m -> m.split(" ")[1]).doesNotHaveDuplicates()
                .doesNotContain(FixtureRunner.thisPid());
        List<String> utsInodes = FixtureRunner.reportEntries(results).stream()
                .filter(m -> m.containsKey("inode.uts")).map(m -> m.get("inode.uts")).collect(Collectors.toList());
        // Each in a new UTS namespace. The three inodes may well be equal: the kernel numbers only living
        // namespaces uniquely and reuses a number once its namespace is freed, as each child's was before the next.
        assertThat(utsInodes).hasSize(3)
                .doesNotContain(Long.toString(Namespaces.current().inode(NamespaceType.UTS)));
    }

    @Test
    @DisplayName("each repetition of a @RepeatedTest runs in its own child")
    void repetitionsEachGetAChild() {
        FixtureRunner runner = new FixtureRunner(temp);
        EngineExecutionResults results = runner.run(selectMethod(TemplatesTestCase.class, "repeated",
                "org.junit.jupiter.api.RepetitionInfo"));

        FixtureRunner.assertAllSucceeded(results, 2);
        assertThat(results.testEvents().succeeded().list()).extracting(Event::getTestDescriptor)
                .extracting(d -> d.getDisplayName()).containsExactly("repetition 1 of 2", "repetition 2 of 2");
        assertThat(runner.marks()).extracting(m -> m.split(" ")[0]).containsExactly("repeated-1", "repeated-2");
        assertThat(runner.marks()).extracting(m -> m.split(" ")[1]).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("an argument without toString (an identity hash in its name) is the same case in the child")
    void identityHashesAreNotADifference() {
        FixtureRunner runner = new FixtureRunner(temp);
        FixtureRunner.assertAllSucceeded(runner.run(selectMethod(TemplatesTestCase.class, "argumentWithoutToString",
                "java.lang.Object")), 1);
        assertThat(runner.marks()).hasSize(1);
    }

    @Test
    @DisplayName("an argument source that differs from run to run is refused in the child before the test runs")
    void nonDeterministicArgumentsAreRefused() {
        FixtureRunner runner = new FixtureRunner(temp);
        Throwable failure = onlyFailure(runner.run(selectMethod(TemplatesTestCase.class, "nonDeterministic",
                "long")));

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("the child JVM computed other arguments for this invocation than the "
                        + "parent: the parent ran '[1] ")
                .hasMessageEndingWith("so the argument source must give the same values every time (no random or "
                        + "time-based values); nothing was run.");
        assertThat(runner.marks()).isEmpty();
    }
}
