package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.nsjunit.fixtures.ChildJvmTestCase;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nsjunit's lean defaults for the child JVM yield to the user's own options. */
class ChildJvmOptionsTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("a child runs on the serial collector unless told otherwise")
    void serialByDefault() {
        FixtureRunner runner = new FixtureRunner(temp);

        runner.run(selectClass(ChildJvmTestCase.class)).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(runner.marks()).singleElement().asString().startsWith("gc=Copy,MarkSweepCompact ");
    }

    @Test
    @DisplayName("a collector and heap size in nsjunit.child.jvm.args win over the defaults, and the child starts")
    void usersCollectorAndHeapWin() {
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.jvm.args", "-XX:+UseG1GC -Xmx64m");

        runner.run(selectClass(ChildJvmTestCase.class)).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(runner.marks()).singleElement().asString().startsWith("gc=G1_Young_Generation,")
                .contains(" max=64 ");
    }
}
