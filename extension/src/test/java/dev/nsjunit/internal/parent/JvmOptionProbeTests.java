package dev.nsjunit.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JvmOptionProbeTests {

    @Test
    @DisplayName("an option this JDK has is accepted")
    void knownOption() {
        assertThat(JvmOptionProbe.accepts(List.of("-Xmx64m"))).isTrue();
    }

    @Test
    @DisplayName("an option this JDK lacks, or a diagnostic one not unlocked, is refused without an exception")
    void unknownOrLockedOption() {
        assertThat(JvmOptionProbe.accepts(List.of("-XX:+NoSuchOptionInAnyJdk"))).isFalse();
        assertThat(JvmOptionProbe.accepts(List.of("-XX:-AOTReplayTraining"))).isFalse();
    }
}
