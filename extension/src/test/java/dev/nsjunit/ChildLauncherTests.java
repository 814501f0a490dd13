package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.AutodetectedExtensionTestCase;
import dev.nsjunit.fixtures.Marks;
import dev.nsjunit.fixtures.PlainIsolatedTestCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The child's Launcher loads less than a default one, and still runs the test as the parent's would. */
class ChildLauncherTests {

    @TempDir
    Path temp;

    private TestExecutionSummary launch(DiscoverySelector selector, Map<String, String> configuration) {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        System.setProperty(Marks.FILE_PROPERTY, temp.resolve("marks.txt").toString());
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selector)
                    .configurationParameters(configuration).build(), summary);
        } finally {
            System.clearProperty(Marks.FILE_PROPERTY);
        }
        return summary.getSummary();
    }

    /** The marks left in the child: the parent runs the extension callbacks too, with its own pid. */
    private List<String> childMarks() {
        return new FixtureRunner(temp).marks().stream()
                .filter(m -> !m.contains(" " + FixtureRunner.thisPid() + " ")).collect(Collectors.toList());
    }

    @Test
    @DisplayName("runs the extensions Jupiter autodetects when the user turned autodetection on")
    void autodetectedExtensionsRunWhenEnabled() {
        TestExecutionSummary summary = launch(selectClass(AutodetectedExtensionTestCase.class),
                Map.of("junit.jupiter.extensions.autodetection.enabled", "true"));

        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(childMarks()).map(m -> m.split(" ")[0]).containsExactly("autodetected", "body");
    }

    @Test
    @DisplayName("leaves autodetected extensions out when the user did not turn autodetection on")
    void autodetectedExtensionsStayOffByDefault() {
        TestExecutionSummary summary = launch(selectClass(AutodetectedExtensionTestCase.class), Map.of());

        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(childMarks()).map(m -> m.split(" ")[0]).containsExactly("body");
    }

    @Test
    @DisplayName("does not run the parent's service-loaded execution listeners again: one unique-ID file, not two")
    void serviceLoadedListenersRunOnlyInTheParent() throws Exception {
        Path output = temp.resolve("uids");
        TestExecutionSummary summary = launch(selectMethod(PlainIsolatedTestCase.class, "uts"),
                Map.of("junit.platform.listeners.uid.tracking.enabled", "true",
                        "junit.platform.listeners.uid.tracking.output.dir", output.toString()));

        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        try (Stream<Path> files = Files.list(output)) {
            assertThat(files).singleElement();
        }
    }
}
