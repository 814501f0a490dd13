package dev.nsjunit.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LeanJvmOptionsTests {

    @Test
    @DisplayName("a child of a user who chose nothing gets the serial collector, a small initial heap, one C1 thread")
    void defaults() {
        assertThat(LeanJvmOptions.forChild(List.of("-Dx=y", "-ea"), Map.of())).startsWith("-XX:+UseSerialGC",
                "-Xms8m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData")
                .contains("-XX:CICompilerCount=1", "-XX:CompileThresholdScaling=6");
    }

    @Test
    @DisplayName("a child maps the class-data archives where they were dumped, not at a random address to relocate")
    void archivesMappedInPlace() throws IOException, InterruptedException {
        List<String> options = LeanJvmOptions.forChild(List.of(), Map.of());
        assertThat(options).containsSubsequence(LeanJvmOptions.MAP_ARCHIVES_IN_PLACE);

        List<String> command = new ArrayList<>(List.of(ChildJvmCommand.javaExecutable()));
        command.addAll(options);
        command.addAll(List.of("-Xlog:cds=info", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(log).isZero();
        assertThat(log).contains("Mapped static").doesNotContain("at an alternative address");
    }

    @Test
    @DisplayName("the user's collector replaces the serial one and the heap default (two collectors stop a JVM)")
    void usersCollectorWins() {
        assertThat(LeanJvmOptions.forChild(List.of("-XX:+UseG1GC"), Map.of()))
                .doesNotContain("-XX:+UseSerialGC", "-Xms8m");
    }

    @Test
    @DisplayName("any heap size of the user's, on a command line or in JAVA_TOOL_OPTIONS, drops the heap default")
    void usersHeapWins() {
        assertThat(LeanJvmOptions.forChild(List.of("-Xmx4m"), Map.of())).doesNotContain("-Xms8m")
                .contains("-XX:+UseSerialGC");
        assertThat(LeanJvmOptions.forChild(List.of("-XX:MaxRAMPercentage=10"), Map.of())).doesNotContain("-Xms8m");
        assertThat(LeanJvmOptions.forChild(List.of(), Map.of("JAVA_TOOL_OPTIONS", " -Xmx6m -Dz=1")))
                .doesNotContain("-Xms8m");
    }

    @Test
    @DisplayName("the user's compiler settings drop the compiler-thread default (C2 needs more than one thread)")
    void usersCompilersWin() {
        assertThat(LeanJvmOptions.forChild(List.of("-XX:TieredStopAtLevel=4"), Map.of()))
                .doesNotContain("-XX:CICompilerCount=1");
    }

    @Test
    @DisplayName("the user's compile thresholds, or an interpreter or compiler only mode, drop the later compiling")
    void usersThresholdsWin() {
        assertThat(LeanJvmOptions.forChild(List.of("-XX:CompileThresholdScaling=0.5"), Map.of()))
                .doesNotContain(LeanJvmOptions.COMPILE_LATER).contains("-XX:CICompilerCount=1");
        assertThat(LeanJvmOptions.forChild(List.of("-XX:Tier3InvocationThreshold=100"), Map.of()))
                .doesNotContain(LeanJvmOptions.COMPILE_LATER);
        assertThat(LeanJvmOptions.forChild(List.of(), Map.of("JDK_JAVA_OPTIONS", "-Xint")))
                .doesNotContain(LeanJvmOptions.COMPILE_LATER);
        assertThat(LeanJvmOptions.forChild(List.of("-XX:TieredStopAtLevel=4"), Map.of()))
                .contains(LeanJvmOptions.COMPILE_LATER);
    }
}
