package dev.nsjunit.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpawnPlatformTests {

    @ParameterizedTest
    @ValueSource(strings = {"6.2.0", "6.8.0-49-generic", "6.18.44-fc-v1147", "7.0.1"})
    void newTimeNamespaceCanBeHadFromLinux62(String release) {
        assertThat(SpawnPlatform.newTimeNamespaceUnsupportedReason(release)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1.0-28-amd64", "5.15.0-91-generic", "5.4.0", "2.6.78-fc-v1147", "unknown"})
    void newTimeNamespaceIsRefusedBeforeLinux62WithTheReason(String release) {
        assertThat(SpawnPlatform.newTimeNamespaceUnsupportedReason(release)).hasValueSatisfying(reason -> assertThat(
                reason).contains("needs Linux 6.2 or later", "this kernel is " + release, "execve"));
    }
}
