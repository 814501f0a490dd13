package dev.nsjunit;

import static dev.nsjunit.FixtureRunner.reportEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.nsjunit.fixtures.Marks;
import dev.nsjunit.fixtures.SharedLeftoverTestCase;
import dev.nsjunit.fixtures.SharedMismatchTestCase;
import dev.nsjunit.fixtures.SharedPortTestCase;
import dev.nsjunit.fixtures.SharedTestCase;
import dev.nsjunit.fixtures.SharedTimeTestCase;
import dev.nsjunit.fixtures.SharedTimeoutTestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @InNamespace(shared = ...)}: tests in their own JVMs, in the same namespaces, released at the end. */
class SharedNamespacesTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("tests of one key join the namespaces of the first, kept by bind mounts that are gone at the end")
    void testsOfOneKeyShareAndNothingRemains() throws Exception {
        List<String> queuesBefore = SharedTestCase.queues();
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectClass(SharedTestCase.class));

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
        List<String> marks = runner.marks();
        List<String> inodeMarks = marks.stream().filter(m -> !m.startsWith("mount "))
                .map(m -> m.split(" ")[0] + " " + m.split(" ")[1] + " " + m.split(" ")[2])
                .collect(Collectors.toList());
        Namespaces ours = Namespaces.current();
        String expected = "net=" + sharedInode(marks, "net") + " ipc=" + sharedInode(marks, "ipc");
        assertThat(inodeMarks).containsExactly("first " + expected, "second " + expected, "third " + expected);
        assertThat(sharedInode(marks, "net")).isNotEqualTo(Long.toString(ours.inode(NamespaceType.NET)));
        assertThat(sharedInode(marks, "ipc")).isNotEqualTo(Long.toString(ours.inode(NamespaceType.IPC)));
        assertThat(marks.stream().filter(m -> !m.startsWith("mount ")).map(m -> m.split(" ")[3]).distinct())
                .as("each test ran in its own JVM").hasSize(3);
        // The queue the first test made lived on in the shared IPC namespace, and never reached ours.
        assertThat(SharedTestCase.queues()).isEqualTo(queuesBefore);

        List<String> mountPoints = marks.stream().filter(m -> m.startsWith("mount "))
                .map(m -> m.split(" ")[1]).distinct().collect(Collectors.toList());
        assertThat(mountPoints).as("bind mounts the tests saw").hasSize(2)
                .allMatch(p -> p.endsWith("/backend/net") || p.endsWith("/backend/ipc"));
        Path runDirectory = Path.of(mountPoints.get(0)).getParent().getParent();
        assertThat(runDirectory).doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("nsjunit-shared-");

        List<String> sharing = reportEntries(results).stream().filter(e -> e.containsKey("nsjunit.shared"))
                .map(e -> e.get("nsjunit.shared")).collect(Collectors.toList());
        assertThat(sharing).hasSize(3);
        assertThat(sharing.get(0)).startsWith("shared = \"backend\": created [ipc, net] (bind-mounted in ");
        assertThat(sharing.get(1)).startsWith("shared = \"backend\": joined [ipc, net] (bind-mounted in ");
    }

    @Test
    @DisplayName("a shared test killed for its time limit still leaves no bind mount and no run directory")
    void timeoutReleasesToo() throws Exception {
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.timeout", "5s");

        EngineExecutionResults results = runner.run(selectClass(SharedTimeoutTestCase.class));

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(FixtureRunner.messagesByTest(results).get("hangs()")).contains("nsjunit.child.timeout");
        assertThat(runner.marks()).hasSize(2);
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("nsjunit-shared-");
        try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("nsjunit-shared-"));
        }
    }

    @Test
    @DisplayName("a shared time namespace is joined by the key's later tests, not silently left for the host's")
    void timeIsSharedToo() {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectClass(SharedTimeTestCase.class));

        FixtureRunner.assertAllSucceeded(results, 2);
        List<String> marks = runner.marks();
        assertThat(marks).hasSize(2);
        String created = marks.get(0).split(" ")[1];
        assertThat(marks.get(0)).startsWith("creates time=");
        assertThat(created).isNotEqualTo("time=" + Namespaces.current().inode(NamespaceType.TIME));
        assertThat(marks.get(1)).startsWith("joins " + created + " ");
    }

    @Test
    @DisplayName("the next test of a key starts only when the previous test's JVM has exited: a port it held is free")
    void nextTestStartsAfterThePreviousJvmExited() {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectClass(SharedPortTestCase.class));

        assertThat(FixtureRunner.messagesByTest(results)).containsEntry("holdsThePortUntilExit()", "passed")
                .containsEntry("listensOnTheSamePort()", "passed");
        assertThat(runner.marks()).hasSize(2);
    }

    @Test
    @DisplayName("the next run removes the bind mounts and run directory that a test JVM killed with SIGKILL left, "
            + "but not those of one still running")
    void leftoversOfAKilledJvmAreSwept() throws Exception {
        Path killedMarks = temp.resolve("killed.txt");
        Path runningMarks = temp.resolve("running.txt");
        List<Process> jvms = new ArrayList<>();
        try {
            Process killed = holdingJvm(killedMarks, jvms);
            Path leftover = runDirectoriesIn(awaitRecorded(killedMarks)).get(0);
            killed.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
            assertThat(leftover).isDirectory();
            assertThat(mountPoints()).as("the killed JVM's bind mounts").anyMatch(p -> p.startsWith(leftover + "/"));
            Process running = holdingJvm(runningMarks, jvms);
            Path live = runDirectoriesIn(awaitRecorded(runningMarks)).stream().filter(d -> !d.equals(leftover))
                    .findFirst().orElseThrow();

            FixtureRunner.assertAllSucceeded(new FixtureRunner(temp).run(selectClass(SharedLeftoverTestCase.class)), 1);

            assertThat(leftover).doesNotExist();
            assertThat(mountPoints()).noneMatch(p -> p.startsWith(leftover + "/"));
            assertThat(live).isDirectory();
            assertThat(mountPoints()).as("the running JVM's bind mounts").anyMatch(p -> p.startsWith(live + "/"));
            running.destroy(); // SIGTERM: its shutdown hook releases its own
            running.waitFor();
            assertThat(live).doesNotExist();
        } finally {
            for (Process jvm : jvms) { // SIGTERM first, so that a JVM still running releases its namespaces
                jvm.destroy();
                if (!jvm.waitFor(30, TimeUnit.SECONDS)) {
                    jvm.descendants().forEach(ProcessHandle::destroyForcibly);
                    jvm.destroyForcibly().waitFor();
                }
            }
        }
    }

    /** A test JVM of its own that runs {@link SharedLeftoverTestCase} and holds its key's namespaces until killed. */
    private static Process holdingJvm(Path marks, List<Process> started) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-D" + Marks.FILE_PROPERTY + "=" + marks, "-D" + SharedLeftoverTestCase.HOLD_PROPERTY
                + "=true", "-cp", System.getProperty("java.class.path")));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of(FixtureMain.class.getName(), SharedLeftoverTestCase.class.getName()));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(marks.resolveSibling(marks.getFileName() + ".out").toFile()).start();
        started.add(jvm);
        return jvm;
    }

    /** The marks of a {@link SharedLeftoverTestCase} run once its test has recorded them. */
    private static List<String> awaitRecorded(Path marks) throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(marks)
                && Files.readAllLines(marks).stream().anyMatch(m -> m.startsWith("recorded ")));
        return Files.readAllLines(marks);
    }

    /** The run directories of the bind mounts named in {@code marks} ("mount run-directory/key/type ..."). */
    private static List<Path> runDirectoriesIn(List<String> marks) {
        return marks.stream().filter(m -> m.startsWith("mount ")).map(m -> Path.of(m.split(" ")[1]).getParent()
                .getParent()).collect(Collectors.toList());
    }

    private static List<String> mountPoints() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(line -> line.split(" ")[4])
                .collect(Collectors.toList());
    }

    private static String sharedInode(List<String> marks, String type) {
        return marks.get(0).replaceAll(".*\\b" + type + "=(\\d+).*", "$1");
    }

    @Test
    @DisplayName("one key with other types, or a shared pid namespace, is a configuration error naming why")
    void mismatchedDeclarationsFail() {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectClass(SharedMismatchTestCase.class));

        Map<String, String> failures = FixtureRunner.messagesByTest(results);
        String fixture = SharedMismatchTestCase.class.getName();
        assertThat(failures).containsEntry("netOnly()", "passed");
        assertThat(failures.get("netAndUts()")).isEqualTo("@InNamespace(shared = \"mixed\") asks for [net, uts] "
                + "namespaces on method " + fixture + "#netAndUts, but for [net] on method " + fixture
                + "#netOnly. Tests that share a key share all of its namespaces, so they must request the same "
                + "types: align the two, or use two keys.");
        assertThat(failures.get("sharedPid()")).startsWith("@InNamespace(shared = \"pids\", pid = true) on method "
                + fixture + "#sharedPid: a pid namespace cannot be shared between tests.");
        assertThat(runner.marks()).singleElement().asString().startsWith("netOnly ");
    }
}
