package dev.nsjunit;

import static dev.nsjunit.FixtureRunner.entriesWithPrefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.AllTypesTestCase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** All eight types at once, as root: what the child sets up before the test (issue #4, item 4). */
class AllNamespacesTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("inside all eight: PID 1 alone in /proc, only lo and up, host name set, uid 0 with full "
            + "capabilities, cgroup root /, and every inode new")
    void everyTypeIsSetUp() {
        EngineExecutionResults results = new FixtureRunner(temp).run(selectClass(AllTypesTestCase.class));

        FixtureRunner.assertAllSucceeded(results, 6);
        Map<String, String> inodes = entriesWithPrefix(results, "inode.");
        Namespaces ours = Namespaces.current();
        for (NamespaceType type : ours.types()) {
            assertThat(Long.parseLong(inodes.get("inode." + type))).as(type.toString()).isNotEqualTo(ours.inode(type));
        }
    }

    @Test
    @DisplayName("as root, uid and gid 0 map to 0 and setgroups stays allowed")
    void rootMapsItself() {
        EngineExecutionResults results = new FixtureRunner(temp).run(selectMethod(AllTypesTestCase.class,
                "isRootWithFullCapabilities", "org.junit.jupiter.api.TestReporter"));

        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
        Map<String, String> entries = entriesWithPrefix(results, "");
        assertThat(entries.get("uid_map")).matches("0\\s+0\\s+1");
        assertThat(entries.get("setgroups")).isEqualTo("allow");
    }
}
