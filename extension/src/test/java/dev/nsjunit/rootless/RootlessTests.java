package dev.nsjunit.rootless;

import static dev.nsjunit.FixtureRunner.entriesWithPrefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.FixtureRunner;
import dev.nsjunit.fixtures.RootlessTestCase;
import dev.nsjunit.internal.libc.LibC;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The rootless half (issue #4, item 5), run by {@code ci/rootless} as an unprivileged user it creates. Run as root
 * these would prove nothing, so they fail rather than pass.
 */
@Tag("rootless")
class RootlessTests {

    @TempDir
    Path temp;

    @BeforeAll
    static void mustBeUnprivileged() {
        assertThat(LibC.INSTANCE.getuid()).as("uid: run these through ci/rootless, as an unprivileged user")
                .isNotZero();
    }

    @Test
    @DisplayName("with user = true, an unprivileged user gets all eight types, uid 0 and full capabilities inside")
    void withUserEveryTypeWorks() {
        FixtureRunner runner = new FixtureRunner(temp);
        EngineExecutionResults results = runner.run(selectMethod(RootlessTestCase.class, "withUserEveryTypeWorks",
                "org.junit.jupiter.api.TestReporter"));

        FixtureRunner.assertAllSucceeded(results, 1);
        Map<String, String> entries = entriesWithPrefix(results, "");
        int uid = LibC.INSTANCE.getuid();
        int gid = LibC.INSTANCE.getgid();
        assertThat(entries.get("uid_map")).matches("0\\s+" + uid + "\\s+1");
        assertThat(entries.get("gid_map")).matches("0\\s+" + gid + "\\s+1");
        assertThat(entries.get("setgroups")).isEqualTo("deny");
        Namespaces ours = Namespaces.current();
        for (NamespaceType type : ours.types()) {
            assertThat(Long.parseLong(entries.get("inode." + type))).as(type.toString())
                    .isNotEqualTo(ours.inode(type));
        }
        assertThat(runner.marks()).singleElement().asString().startsWith("withUser 1 rootless");
    }

    @Test
    @DisplayName("without user = true, the test fails with EPERM, the missing capability and the fix; nothing runs")
    void withoutUserFailsWithAHint() {
        FixtureRunner runner = new FixtureRunner(temp);
        Throwable failure = FixtureRunner.onlyFailure(
                runner.run(selectMethod(RootlessTestCase.class, "withoutUserNothingRuns")));

        assertThat(failure).hasMessage("cannot start the child JVM for withoutUserNothingRuns() (method "
                + RootlessTestCase.class.getName() + "#withoutUserNothingRuns): clone(CLONE_NEWPID|CLONE_NEWUTS) "
                + "failed: EPERM (1) — uid " + LibC.INSTANCE.getuid() + " lacks CAP_SYS_ADMIN, which creating pid, "
                + "uts namespaces needs. Add user = true to @InNamespace to run rootless (a new user namespace "
                + "grants the capability inside it), or run as root.");
        assertThat(runner.marks()).isEmpty();
    }
}
