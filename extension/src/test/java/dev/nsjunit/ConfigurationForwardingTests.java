package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.nsjunit.fixtures.ConfigurationTestCase;
import dev.nsjunit.fixtures.Marks;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** What the launcher was configured with reaches the child's JUnit. */
class ConfigurationForwardingTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("configuration parameters given to the launcher reach the child")
    void launcherParametersReachTheChild() {
        FixtureRunner marks = new FixtureRunner(temp);
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        System.setProperty(Marks.FILE_PROPERTY, temp.resolve("marks.txt").toString());
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(ConfigurationTestCase.class))
                    .configurationParameter(ConfigurationTestCase.KEY, "from-the-launcher").build(), summary);
        } finally {
            System.clearProperty(Marks.FILE_PROPERTY);
        }

        assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(1);
        // The probe is an extension callback: it runs in the parent as well (JUnit offers no way to skip
        // callbacks), so look at the child's mark.
        assertThat(marks.marks()).filteredOn(m -> !m.contains(" " + FixtureRunner.thisPid() + " "))
                .singleElement().asString().startsWith("probe=from-the-launcher ");
    }
}
