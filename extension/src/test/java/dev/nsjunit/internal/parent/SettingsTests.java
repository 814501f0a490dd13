package dev.nsjunit.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class SettingsTests {

    @Test
    @DisplayName("durations are read in short form or ISO-8601")
    void durations() {
        assertThat(Settings.parseDuration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Settings.parseDuration("k", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Settings.parseDuration("k", " 5m ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Settings.parseDuration("k", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Settings.parseDuration("k", "PT2M30S")).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    @DisplayName("a zero, negative or unreadable duration fails naming key and value")
    void badDurations() {
        for (String bad : List.of("0s", "PT-1S", "soon", "")) {
            assertThatThrownBy(() -> Settings.parseDuration("nsjunit.child.timeout", bad))
                    .isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessageStartingWith("nsjunit.child.timeout = '" + bad + "' is not a positive duration");
        }
    }

    @Test
    @DisplayName("children started ahead: true is one per core but one (at least one), false none, or a number")
    void prespawnCounts() {
        int expected = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        assertThat(Settings.parsePrespawn("k", "true")).isEqualTo(expected).isEqualTo(Settings.defaultPrespawn());
        assertThat(Settings.parsePrespawn("k", " FALSE ")).isZero();
        assertThat(Settings.parsePrespawn("k", "0")).isZero();
        assertThat(Settings.parsePrespawn("k", "64")).isEqualTo(64);
        for (String bad : List.of("65", "-1", "many")) {
            assertThatThrownBy(() -> Settings.parsePrespawn("nsjunit.child.prespawn", bad))
                    .isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessage("nsjunit.child.prespawn = \"" + bad + "\" is neither true, false nor a number of "
                            + "children from 0 to 64 to keep started ahead of their tests.");
        }
    }

    @Test
    @DisplayName("booleans are true or false, nothing else")
    void booleans() {
        assertThat(Settings.parseBoolean("k", "TRUE")).isTrue();
        assertThat(Settings.parseBoolean("k", "false")).isFalse();
        assertThatThrownBy(() -> Settings.parseBoolean("nsjunit.report.console", "yes"))
                .hasMessage("nsjunit.report.console = 'yes' is not a boolean; use true or false.");
    }

    @Test
    @DisplayName("only options that change what a test sees are inherited, never a debugger's port")
    void inheritedOptions() {
        assertThat(ChildJvmCommand.inheritedOptions(List.of("-Dfoo=bar", "-javaagent:/j.jar=x", "-Xmx512m",
                "-agentlib:jdwp=transport=dt_socket,address=5005", "-XX:+UseG1GC", "-ea",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Xlog:gc", "--module-path=/m", "--add-modules=m")))
                .containsExactly("-Dfoo=bar", "-javaagent:/j.jar=x", "-Xmx512m", "-ea",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--module-path=/m", "--add-modules=m");
    }
}
