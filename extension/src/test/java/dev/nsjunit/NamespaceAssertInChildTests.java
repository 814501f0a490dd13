package dev.nsjunit;

import static dev.nsjunit.FixtureRunner.assertAllSucceeded;
import static dev.nsjunit.FixtureRunner.entriesWithPrefix;
import static dev.nsjunit.FixtureRunner.onlyFailure;
import static dev.nsjunit.FixtureRunner.thisPid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.NamespaceAssertTestCase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** NamespaceAssert inside real child JVMs in real namespaces, where its parent is the test JVM. */
class NamespaceAssertInChildTests {

    @TempDir
    Path temp;

    private EngineExecutionResults run(DiscoverySelector... selectors) {
        System.setProperty(NamespaceAssertTestCase.TEST_JVM_PID, thisPid());
        try {
            return new FixtureRunner(temp).run(selectors);
        } finally {
            System.clearProperty(NamespaceAssertTestCase.TEST_JVM_PID);
        }
    }

    @Test
    @DisplayName("in real uts, pid (and mnt) namespaces the child is isolated from the test JVM in exactly those, "
            + "also where its own /proc gives it no parent")
    void passesInARealChild() {
        assertAllSucceeded(run(selectMethod(NamespaceAssertTestCase.class, "isolatedInUtsAndPid"),
                selectMethod(NamespaceAssertTestCase.class, "isolatedWithItsOwnProc")), 2);
    }

    @Test
    @DisplayName("a failing NamespaceAssert in the child fails the test in the parent with its description and table")
    void failureComesBackWithTheTable() {
        EngineExecutionResults results = run(selectMethod(NamespaceAssertTestCase.class,
                "claimsANetNamespaceItDoesNotHave", "org.junit.jupiter.api.TestReporter"));

        Map<String, String> child = entriesWithPrefix(results, "");
        Namespaces ours = Namespaces.current();
        String net = Long.toString(ours.inode(NamespaceType.NET));
        assertThat(child.get("inode.net")).isEqualTo(net);
        assertThat(onlyFailure(results)).isExactlyInstanceOf(AssertionError.class).hasMessage(String.join(
                System.lineSeparator(),
                "[child vs test JVM] ",
                "Expecting the namespaces of pid " + child.get("pid") + " (actual)",
                "to differ from those of the test JVM that started this child JVM, pid " + thisPid()
                        + " (parent) in: net, uts",
                "but it does not hold for: net",
                "",
                "  type    expected  actual inode  parent inode",
                String.format("  net     differs   %-13s %-13s <-- wrong", net, net),
                String.format("  uts     differs   %-13s %s", child.get("inode.uts"),
                        ours.inode(NamespaceType.UTS))));
    }
}
