package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.InNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code unshare --fork --pid --mount-proc}, option by option, and the same two lessons in nsjunit: a new PID
 * namespace takes in only children made after it, and {@code /proc} keeps showing the host until it is mounted
 * again from inside. Shown in docs/concepts/unshare-fork-pid.md.
 */
@Tag("rootless")
class UnshareForkSampleTest {

    // tag::without-fork[]
    @Test
    void withoutForkTheFirstChildIsPid1AndTheNextForkFails() throws Exception {
        Output output = unshare("--pid", "bash", "-c",
                "echo \"bash: $$\"; (echo \"first child: $BASHPID\"); (echo \"second child: $BASHPID\")");

        assertThat(output.stdout.get(0)).startsWith("bash: ").isNotEqualTo("bash: 1"); // bash did not move
        assertThat(output.stdout.get(1)).isEqualTo("first child: 1"); // it was PID 1, and it has exited
        assertThat(output.stdout).hasSize(2);
        assertThat(output.stderr).contains("fork: Cannot allocate memory"); // ENOMEM: the namespace is dead
    }
    // end::without-fork[]

    // tag::fork[]
    @Test
    void withForkTheCommandIsPid1() throws Exception {
        Output output = unshare("--fork", "--pid", "bash", "-c",
                "echo \"bash: $$\"; (echo \"first child: $BASHPID\"); (echo \"second child: $BASHPID\")");

        assertThat(output.stdout).containsExactly("bash: 1", "first child: 2", "second child: 3");
    }
    // end::fork[]

    // tag::mount-proc[]
    @Test
    void withoutMountProcPsListsTheHostsProcesses() throws Exception {
        Output output = unshare("--fork", "--pid", "ps", "-e", "-o", "pid=");

        // ps reads /proc, which still shows the PID namespace of whoever mounted it: the host's, this JVM included.
        assertThat(output.stdout).map(String::strip).contains(Long.toString(ProcessHandle.current().pid()));
    }

    @Test
    void withMountProcPsListsOnlyItself() throws Exception {
        List<String> procMountsBefore = procMounts();

        Output output = unshare("--fork", "--pid", "--mount-proc", "ps", "-e", "-o", "pid=,comm=");

        assertThat(output.stdout).map(String::strip).containsExactly("1 ps");
        // --mount-proc implies --mount: the new /proc was mounted in a mount namespace of its own, now gone.
        assertThat(procMounts()).isSubsetOf(procMountsBefore);
    }
    // end::mount-proc[]

    // tag::nsjunit[]
    @Test
    @InNamespace(user = true, pid = true)
    void nsjunitWithPidOnlyIsPid1ButSeesTheHostsProc() throws IOException {
        assertThat(ProcessHandle.current().pid()).isEqualTo(1L);
        assertThat(Files.readSymbolicLink(Path.of("/proc/self"))).asString().isNotEqualTo("1");
    }

    @Test
    @InNamespace(user = true, pid = true, mnt = true)
    void nsjunitWithPidAndMntMountsAProcOfItsOwn() throws IOException {
        assertThat(ProcessHandle.current().pid()).isEqualTo(1L);
        assertThat(Files.readSymbolicLink(Path.of("/proc/self"))).asString().isEqualTo("1");
        assertThat(ProcessHandle.allProcesses()).map(ProcessHandle::pid).containsExactly(1L);
    }
    // end::nsjunit[]

    /**
     * Runs unshare(1) with {@code arguments}, as root exactly so; without root with {@code --map-root-user} added,
     * which puts the command in a new user namespace that grants what the other namespaces need (see
     * docs/concepts/permissions.md).
     */
    private static Output unshare(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("unshare"));
        if (!Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0)) { // owned by the caller's uid
            command.add("--map-root-user");
        }
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).start();
        // Standard output first: standard error holds a line at most, far less than a pipe's buffer.
        List<String> stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .collect(Collectors.toList());
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return new Output(stdout, stderr);
    }

    /** The lines of the host's mount table that mount a proc file system. */
    private static List<String> procMounts() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains(" - proc ")).collect(Collectors.toList());
    }

    /** What a command printed, standard output by line. */
    private static final class Output {
        final List<String> stdout;
        final String stderr;

        Output(List<String> stdout, String stderr) {
            this.stdout = stdout;
            this.stderr = stderr;
        }
    }
}
