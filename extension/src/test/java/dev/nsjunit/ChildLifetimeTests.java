package dev.nsjunit;

import static dev.nsjunit.FixtureRunner.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.BackgroundProcessTestCase;
import dev.nsjunit.fixtures.DeathTestCase;
import dev.nsjunit.fixtures.Marks;
import dev.nsjunit.fixtures.MountTestCase;
import dev.nsjunit.fixtures.OrphanTestCase;
import dev.nsjunit.fixtures.SlowTestCase;
import dev.nsjunit.internal.parent.ChildJvmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child that dies says how; nothing a child started outlives its test. */
class ChildLifetimeTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("System.exit(3) in the child fails the test naming exit code 3 and the last lines of stderr")
    void exitCodeIsNamed() {
        Throwable failure = onlyFailure(new FixtureRunner(temp).run(selectMethod(DeathTestCase.class, "exits")));

        assertThat(failure).isInstanceOf(ChildJvmException.class)
                .hasMessageContaining("running exits() exited with code 3 before reporting an outcome")
                .hasMessageContaining("last lines of its stderr:\n  about to exit with 3");
    }

    @Test
    @DisplayName("Runtime.halt(4) in the child fails the test naming exit code 4")
    void haltIsNamed() {
        Throwable failure = onlyFailure(new FixtureRunner(temp).run(selectMethod(DeathTestCase.class, "halts")));

        assertThat(failure).isInstanceOf(ChildJvmException.class)
                .hasMessageContaining("running halts() exited with code 4 before reporting an outcome");
    }

    @Test
    @DisplayName("a child killed by a signal fails the test naming the signal")
    void signalIsNamed() {
        Throwable failure = onlyFailure(new FixtureRunner(temp).run(selectMethod(DeathTestCase.class, "isKilled")));

        assertThat(failure).isInstanceOf(ChildJvmException.class)
                .hasMessageContaining("running isKilled() was killed by SIGKILL (9) before reporting an outcome");
    }

    @Test
    @DisplayName("a child that is PID 1 of its pid namespace ends when its channel to the parent ends")
    void pidOneEndsWithItsChannel() {
        FixtureRunner runner = new FixtureRunner(temp);

        Throwable failure = onlyFailure(runner.run(selectMethod(DeathTestCase.class, "losesItsChannelAsPidOne")));

        assertThat(failure).isInstanceOf(ChildJvmException.class).hasMessageContaining(
                "running losesItsChannelAsPidOne() exited with code 137 before reporting an outcome");
        assertThat(runner.marks()).isEmpty();
    }

    @Test
    @DisplayName("a child that outlives nsjunit.child.timeout is killed and the test fails naming the key")
    void timeoutKillsTheChild() {
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.timeout", "3s");
        long start = System.nanoTime();
        Throwable failure = onlyFailure(runner.run(selectClass(SlowTestCase.class)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(runner.marks()).hasSize(1); // it did start
        assertThat(failure).isInstanceOf(ChildJvmException.class)
                .hasMessageContaining("was killed by SIGKILL (9) before reporting an outcome, because it ran longer "
                        + "than nsjunit.child.timeout = PT3S; raise that limit if the test needs longer");
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    @DisplayName("a process the test started and left running (no pid namespace) is killed with the child")
    void leftoverProcessesAreKilled() throws IOException {
        FixtureRunner runner = new FixtureRunner(temp);
        runner.run(selectClass(BackgroundProcessTestCase.class)).testEvents()
                .assertStatistics(stats -> stats.succeeded(1));

        assertThat(runner.marks()).hasSize(1);
        // SIGKILL went to the group before the test reported; the kernel ends the process a moment later.
        await().atMost(Duration.ofSeconds(2))
                .until(() -> processesWithArgument(BackgroundProcessTestCase.SLEEP_SECONDS).isEmpty());
    }

    @Test
    @DisplayName("a mount made in a new mount namespace never reaches the host, even under a shared mount")
    void mountsStayInside() throws Exception {
        // Under a shared mount a new mount namespace would still be a peer of the host's, and a mount made in it
        // would appear on the host, unless the child first makes / recursively private.
        Path shared = Files.createDirectory(temp.resolve("shared"));
        run("mount", "-t", "tmpfs", "nsjunit-test-shared", shared.toString());
        try {
            run("mount", "--make-shared", shared.toString());
            Path mountpoint = Files.createDirectory(shared.resolve("inner"));
            System.setProperty(MountTestCase.DIR_PROPERTY, mountpoint.toString());
            FixtureRunner runner = new FixtureRunner(temp);
            try {
                FixtureRunner.assertAllSucceeded(runner.run(selectClass(MountTestCase.class)), 1);
            } finally {
                System.clearProperty(MountTestCase.DIR_PROPERTY);
            }
            assertThat(runner.marks()).hasSize(1);
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(mountpoint.toString());
            try (Stream<Path> files = Files.list(mountpoint)) {
                assertThat(files).isEmpty();
            }
        } finally {
            run("umount", "--lazy", shared.toString());
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(shared.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }

    @Test
    @DisplayName("when the parent JVM is SIGKILLed mid-test, its child and everything the child started end promptly")
    void parentDeathEndsTheChildTree() throws Exception {
        Path marks = temp.resolve("marks.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-D" + Marks.FILE_PROPERTY + "=" + marks, "-cp", System.getProperty("java.class.path")));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of(FixtureMain.class.getName(), OrphanTestCase.class.getName()));
        Process parent = new ProcessBuilder(command).inheritIO().start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(marks) && !Files.readString(marks).isEmpty());
            long child = Long.parseLong(Files.readString(marks).split(" ")[1]);
            assertThat(ProcessHandle.of(child)).isPresent();
            assertThat(processesWithArgument(OrphanTestCase.SLEEP_SECONDS)).hasSize(1);

            parent.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the parent
            parent.waitFor();

            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).isEmpty()
                    && processesWithArgument(OrphanTestCase.SLEEP_SECONDS).isEmpty());
        } finally {
            parent.destroyForcibly();
        }
    }

    /** Processes whose command line has {@code argument}, read from /proc. */
    static List<String> processesWithArgument(String argument) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().matches("\\d+")).map(ChildLifetimeTests::cmdline)
                    .filter(cmdline -> cmdline.contains(argument)).collect(Collectors.toList());
        }
    }

    /** The pids of the processes with {@code argument} as one whole argument, read from /proc. */
    static List<Long> pidsWithArgument(String argument) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> List.of(arguments(p)).contains(argument))
                    .map(p -> Long.parseLong(p.getFileName().toString())).collect(Collectors.toList());
        }
    }

    private static String cmdline(Path process) {
        return String.join(" ", arguments(process));
    }

    private static String[] arguments(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline"))).split("\0");
        } catch (IOException gone) {
            return new String[0];
        }
    }
}
