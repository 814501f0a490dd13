package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.ConfiguredUserClasses;
import dev.nsjunit.fixtures.Marks;
import dev.nsjunit.fixtures.PoolTestCase;
import dev.nsjunit.fixtures.RequestChangeTestCase;
import dev.nsjunit.fixtures.SlowTestCase;
import dev.nsjunit.fixtures.StartupTraces;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Children started ahead of their tests: each used once, in fresh namespaces, none left when the run ends. */
class PrespawnTests {

    private static final String CHILD_MAIN = "dev.nsjunit.internal.child.ChildBooter";

    @TempDir
    Path temp;

    @Test
    @DisplayName("later tests take children started ahead, each in its own JVM and namespaces; none is left after")
    void childrenStartedAheadAreUsedOnce() {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectClass(PoolTestCase.class));

        FixtureRunner.assertAllSucceeded(results, 4);
        List<String> children = childEntries(results);
        assertThat(children).hasSize(4);
        assertThat(children.get(0)).endsWith(", started for this test");
        assertThat(children.subList(1, 4)).allMatch(entry -> entry.contains(", started ahead of this test"));
        assertThat(children.stream().map(entry -> entry.split(",")[0]).distinct()).hasSize(4);
        Namespaces ours = Namespaces.current();
        assertThat(runner.marks()).hasSize(4).allSatisfy(mark -> {
            assertThat(mark).matches("\\w+ 1 uts=\\d+ 1 .*");
            assertThat(mark).doesNotContain("uts=" + ours.inode(NamespaceType.UTS) + " ");
        });
        assertThat(childJvmsOf(ProcessHandle.current())).as("child JVMs left after the run").isEmpty();
    }

    @Test
    @DisplayName("a child started ahead primes JUnit while it waits, unseen by the user's session listeners and "
            + "autodetected extensions")
    void childrenStartedAheadPrimeJUnitUnseen() throws IOException {
        Path traces = temp.resolve("traces.txt");
        // Start-up properties, which the priming sees: a property set at run time reaches a child with its test.
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.jvm.args", "-D"
                + StartupTraces.FILE_PROPERTY + "=" + traces
                + " -Djunit.jupiter.extensions.autodetection.enabled=true");

        EngineExecutionResults results = runner.run(selectClass(PoolTestCase.class));

        FixtureRunner.assertAllSucceeded(results, 4);
        List<String> children = childEntries(results);
        assertThat(children.get(0)).endsWith(", started for this test");
        assertThat(children.subList(1, 4))
                .allMatch(entry -> entry.endsWith(", started ahead of this test; JUnit primed while it waited"));
        List<String> lines = Files.readAllLines(traces);
        assertThat(lines).filteredOn(line -> line.startsWith("session ")).as("one session per child").hasSize(4);
        assertThat(lines).filteredOn(line -> line.startsWith("extension ")).map(line -> line.split(" ")[1])
                .as("the autodetected extension saw the real tests only")
                .containsExactlyInAnyOrder("first()", "second()", "third()", "fourth()");
    }

    @Test
    @DisplayName("a new request gets children started ahead even when children for an earlier one fill the limit")
    void newRequestTakesThePlaceOfAnOldOne() {
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.prespawn", "1");

        EngineExecutionResults results = runner.run(selectClass(RequestChangeTestCase.class));

        FixtureRunner.assertAllSucceeded(results, 5);
        List<String> children = childEntries(results);
        assertThat(children).hasSize(5);
        assertThat(children.get(0)).endsWith(", started for this test");
        assertThat(children.get(1)).contains(", started ahead of this test");
        // The child started ahead for a third uts test, which never came, made way for the ipc tests' one once two
        // ipc tests had passed it by.
        assertThat(children.get(2)).endsWith(", started for this test");
        assertThat(children.get(3)).endsWith(", started for this test");
        assertThat(children.get(4)).contains(", started ahead of this test");
        assertThat(childJvmsOf(ProcessHandle.current())).as("child JVMs left after the run").isEmpty();
    }

    @Test
    @DisplayName("the test plans of one launcher session share the children started ahead, as under Surefire with "
            + "forkCount=2, which runs each class as a plan of its own; none is left when the session ends")
    void plansOfOneSessionShareChildrenStartedAhead() {
        List<String> children = new CopyOnWriteArrayList<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
                Optional.ofNullable(entry.getKeyValuePairs().get("nsjunit.child")).ifPresent(children::add);
            }
        };
        FixtureRunner runner = new FixtureRunner(temp);
        runner.withMarks(() -> {
            try (LauncherSession session = LauncherFactory.openSession()) {
                for (String method : List.of("first", "second")) {
                    session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectMethod(PoolTestCase.class, method))
                            .configurationParameters(runner.configuration()).build(), listener);
                }
                await("a child started ahead, waiting after the plans").atMost(Duration.ofSeconds(30))
                        .until(() -> !childJvmsOf(ProcessHandle.current()).isEmpty());
            }
            return null;
        });

        assertThat(children).hasSize(2);
        assertThat(children.get(0)).endsWith(", started for this test");
        assertThat(children.get(1)).contains(", started ahead of this test");
        assertThat(childJvmsOf(ProcessHandle.current())).as("child JVMs left after the session").isEmpty();
    }

    @Test
    @DisplayName("a child started ahead primes JUnit without the user classes that junit-platform.properties names")
    void primingLeavesConfiguredUserClassesOut() throws IOException {
        Path traces = temp.resolve("traces.txt");
        // On the boot classpath: a junit-platform.properties for the children alone, as a user's would be.
        Path configuration = Files.createDirectory(temp.resolve("configuration"));
        Files.writeString(configuration.resolve("junit-platform.properties"), String.join("\n",
                "junit.jupiter.testmethod.order.default=" + ConfiguredUserClasses.MethodOrder.class.getName(),
                "junit.jupiter.testclass.order.default=" + ConfiguredUserClasses.ClassOrder.class.getName(),
                "junit.jupiter.displayname.generator.default=" + ConfiguredUserClasses.DisplayNames.class.getName(),
                "junit.platform.launcher.interceptors.enabled=true"));
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.jvm.args", "-D"
                + StartupTraces.FILE_PROPERTY + "=" + traces + " -Xbootclasspath/a:" + configuration);

        EngineExecutionResults results = runner.run(selectClass(PoolTestCase.class));

        FixtureRunner.assertAllSucceeded(results, 4);
        assertThat(childEntries(results).subList(1, 4))
                .allMatch(entry -> entry.endsWith(", started ahead of this test; JUnit primed while it waited"));
        List<String> lines = Files.readAllLines(traces);
        assertThat(lines).filteredOn(line -> line.matches("(display-names|class-orderer|method-orderer) .*"))
                .as("the test classes that the user's configured classes served").isNotEmpty()
                .allMatch(line -> line.contains(" " + PoolTestCase.class.getName() + " "));
        assertThat(lines).filteredOn(line -> line.startsWith("interceptor "))
                .as("one launcher interceptor per child, for its real test").hasSize(4);
    }

    @Test
    @DisplayName("a child started ahead prints JUnit's warnings as many times as one started for its test: the "
            + "priming prints none")
    void primingPrintsNoJUnitWarnings() throws IOException {
        // Two junit-platform.properties on the children's classpath: JUnit warns each time it reads its configuration.
        List<String> directories = new ArrayList<>();
        for (String name : List.of("first", "second")) {
            Path directory = Files.createDirectory(temp.resolve(name));
            Files.writeString(directory.resolve("junit-platform.properties"), "# " + name + "\n");
            directories.add(directory.toString());
        }
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.jvm.args", "-Xbootclasspath/a:"
                + String.join(File.pathSeparator, directories));

        long startedForItsTest = countWarnings(() -> FixtureRunner.assertAllSucceeded(runner
                .with("nsjunit.child.prespawn", "false").run(selectMethod(PoolTestCase.class, "first")), 1));
        long oneOfEach = countWarnings(() -> {
            EngineExecutionResults results = runner.run(selectMethod(PoolTestCase.class, "first"),
                    selectMethod(PoolTestCase.class, "second"));
            FixtureRunner.assertAllSucceeded(results, 2);
            assertThat(childEntries(results).get(1))
                    .endsWith(", started ahead of this test; JUnit primed while it waited");
        });

        assertThat(startedForItsTest).isPositive();
        assertThat(oneOfEach).as("JUnit's warnings from a child started for its test and one started ahead")
                .isEqualTo(2 * startedForItsTest);
    }

    /** How often JUnit's warning about two configuration files reaches this JVM's stderr while {@code run} runs. */
    private static long countWarnings(Runnable run) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setErr(originalErr);
        }
        return err.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("Discovered 2 'junit-platform.properties' configuration files")).count();
    }

    @Test
    @DisplayName("nsjunit.child.prespawn = false starts every child for its own test")
    void prespawnCanBeTurnedOff() {
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.prespawn", "false");

        EngineExecutionResults results = runner.run(selectClass(PoolTestCase.class));

        FixtureRunner.assertAllSucceeded(results, 4);
        assertThat(childEntries(results)).hasSize(4).allMatch(entry -> entry.endsWith(", started for this test"));
        assertThat(childJvmsOf(ProcessHandle.current())).isEmpty();
    }

    @ParameterizedTest(name = "killed with {0}")
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    @DisplayName("a test JVM stopped mid-run leaves neither its running child nor the one started ahead")
    void stoppedRunLeavesNothing(String signal) throws Exception {
        Path marks = temp.resolve("marks.txt");
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + Marks.FILE_PROPERTY + "=" + marks, "-cp", System.getProperty("java.class.path"),
                FixtureMain.class.getName(), SlowTestCase.class.getName())
                .redirectOutput(temp.resolve("out.txt").toFile()).redirectErrorStream(true).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(marks));
            // The running child and the one started ahead for the next test of the same request.
            await().atMost(Duration.ofSeconds(30)).until(() -> childJvmsOf(parent.toHandle()).size() == 2);
            List<ProcessHandle> children = childJvmsOf(parent.toHandle());

            if (signal.equals("SIGKILL")) {
                parent.destroyForcibly();
            } else {
                parent.destroy();
            }

            await().atMost(Duration.ofSeconds(15)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly().waitFor();
        }
    }

    private static List<String> childEntries(EngineExecutionResults results) {
        return FixtureRunner.reportEntries(results).stream().map(entry -> entry.get("nsjunit.child"))
                .filter(Objects::nonNull).collect(Collectors.toList());
    }

    /** The child JVMs among the children of {@code parent}. */
    private static List<ProcessHandle> childJvmsOf(ProcessHandle parent) {
        return parent.children().filter(child -> commandLine(child).contains(CHILD_MAIN))
                .collect(Collectors.toList());
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }
}
