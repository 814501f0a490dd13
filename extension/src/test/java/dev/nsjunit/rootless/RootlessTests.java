package dev.nsjunit.rootless;

import static dev.nsjunit.FixtureRunner.entriesWithPrefix;
import static org.assertj.core.api.Assertions.assertThat;
import static dev.nsjunit.FixtureRunner.reportEntries;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.FixtureRunner;
import dev.nsjunit.fixtures.RootlessSharedTestCase;
import dev.nsjunit.fixtures.RootlessTestCase;
import dev.nsjunit.internal.libc.LibC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    @Test
    @DisplayName("shared user, net and uts namespaces work rootless, held open without a bind mount; pid joins refused")
    void sharingWorksAndPidJoinsAreRefused() throws Exception {
        FixtureRunner runner = new FixtureRunner(temp);
        EngineExecutionResults results = runner.run(selectClass(RootlessSharedTestCase.class));

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
        List<String> marks = runner.marks();
        assertThat(marks).hasSize(2);
        String first = marks.get(0).replaceFirst("^first (\\S+ \\S+ \\S+) \\d+ shared-rootless$", "$1");
        assertThat(marks.get(1)).matches("second " + first + " \\d+ shared-rootless");
        Namespaces ours = Namespaces.current();
        assertThat(first).doesNotContain("net=" + ours.inode(NamespaceType.NET))
                .doesNotContain("user=" + ours.inode(NamespaceType.USER));
        assertThat(reportEntries(results).stream().map(e -> e.get("nsjunit.shared")).filter(Objects::nonNull))
                .containsExactly("shared = \"rootless\": created [net, user, uts] (held open by the test JVM; no "
                        + "bind mount without CAP_SYS_ADMIN)", "shared = \"rootless\": joined [net, user, uts] (held "
                        + "open by the test JVM; no bind mount without CAP_SYS_ADMIN)");
        Throwable refused = results.testEvents().failed().list().get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        assertThat(refused).hasMessageStartingWith("method " + RootlessSharedTestCase.class.getName()
                + "#joinsPid joins the pid namespace /proc/self/ns/pid, but this test JVM (uid "
                + LibC.INSTANCE.getuid() + ") lacks CAP_SYS_ADMIN");
        assertThat(Files.list(Path.of(System.getProperty("java.io.tmpdir")))
                .filter(p -> p.getFileName().toString().startsWith("nsjunit-shared-"))).isEmpty();
    }
}
