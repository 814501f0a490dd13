package dev.nsjunit.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherConfig;

class SingleTestRunnerTests {

    @Test
    @DisplayName("a Jupiter test gets Jupiter's engine alone and no service-loaded listeners or filters")
    void jupiterTestGetsALeanLauncher() {
        LauncherConfig config = SingleTestRunner.launcherConfig("[engine:junit-jupiter]/[class:a.B]/[method:c()]",
                true);

        assertThat(config.isTestEngineAutoRegistrationEnabled()).isFalse();
        assertThat(config.getAdditionalTestEngines()).singleElement()
                .satisfies(engine -> assertThat(engine.getId()).isEqualTo("junit-jupiter"));
        assertThat(config.isTestExecutionListenerAutoRegistrationEnabled()).isFalse();
        assertThat(config.isLauncherDiscoveryListenerAutoRegistrationEnabled()).isFalse();
        assertThat(config.isPostDiscoveryFilterAutoRegistrationEnabled()).isFalse();
        assertThat(config.isLauncherSessionListenerAutoRegistrationEnabled()).isTrue();
    }

    @Test
    @DisplayName("nsjunit's own priming test runs without the user's session listeners")
    void primingLeavesSessionListenersOut() {
        assertThat(SingleTestRunner.launcherConfig("[engine:junit-jupiter]/[class:a.B]/[method:c()]", false)
                .isLauncherSessionListenerAutoRegistrationEnabled()).isFalse();
    }

    @Test
    @DisplayName("a test of another engine gets the engines the classpath offers, filtered to its own")
    void otherEnginesAreFoundAsUsual() {
        String uniqueId = "[engine:other-engine]/[test:x]";

        assertThat(SingleTestRunner.launcherConfig(uniqueId, true).isTestEngineAutoRegistrationEnabled()).isTrue();
        assertThat(SingleTestRunner.engineId(uniqueId)).isEqualTo("other-engine");
    }

    @Test
    @DisplayName("a suite's prefix is cut off at Jupiter's engine segment")
    void suitePrefixIsCutOff() {
        assertThat(SingleTestRunner.jupiterUniqueId("[engine:junit-platform-suite]/[suite:S]/[engine:junit-jupiter]"
                + "/[class:a.B]")).isEqualTo("[engine:junit-jupiter]/[class:a.B]");
    }
}
