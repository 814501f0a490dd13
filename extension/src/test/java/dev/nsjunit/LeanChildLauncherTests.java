package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.PlainIsolatedTestCase;
import dev.nsjunit.fixtures.RecordingExecutionListener;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child's launcher has only what one test needs: the Jupiter engine, none of the execution listeners found on
 * the classpath. A user's listener belongs to the run that reports the test, the parent's.
 */
class LeanChildLauncherTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("a user's ServiceLoader-registered execution listener does not run in the child")
    void userListenersStayInTheParent() {
        FixtureRunner runner = new FixtureRunner(temp);
        System.setProperty(RecordingExecutionListener.SWITCH, "on");
        try {
            FixtureRunner.assertAllSucceeded(runner.run(selectMethod(PlainIsolatedTestCase.class, "uts")), 1);
        } finally {
            System.clearProperty(RecordingExecutionListener.SWITCH);
        }

        assertThat(runner.marks()).noneMatch(mark -> mark.startsWith("listener saw")).isNotEmpty();
    }
}
