package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.MountJoinTestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Joining a mount namespace: a child would run the java, libraries and classpath found there, with the test JVM's
 * privileges, so a join is refused unless they are this JVM's own files, or the user trusts that namespace.
 */
class MountJoinTests {

    private static final Path DIRECTORY = Path.of(MountJoinTestCase.DIRECTORY);
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path temp;

    private final List<Process> holders = new ArrayList<>();
    private Path testClasses;

    @BeforeEach
    void prepare() throws Exception {
        Files.createDirectories(DIRECTORY);
        Path script = DIRECTORY.resolve("java-script");
        Files.writeString(script, "#!/bin/sh\ntouch " + MountJoinTestCase.PLANTED_RAN + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        testClasses = Path.of(MountJoinTestCase.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path copy = temp.resolve("classes-copy");
        run("cp", "-a", testClasses.toString(), copy.toString());
        hold(MountJoinTestCase.SAME, "true");
        hold(MountJoinTestCase.PLANTED_JAVA, "mount --bind " + script + " " + JAVA);
        hold(MountJoinTestCase.COPIED_CLASSES, "mount --bind " + copy + " " + testClasses);
    }

    /** A process in a new mount namespace that ran {@code setup} there, and a symlink at {@code link} to it. */
    private void hold(String link, String setup) throws Exception {
        Process holder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                setup + " && exec sleep 120").redirectErrorStream(true).start();
        holders.add(holder);
        Path comm = Path.of("/proc", Long.toString(holder.pid()), "comm");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(comm).trim().equals("sleep"));
        Files.createSymbolicLink(Path.of(link), Path.of("/proc", Long.toString(holder.pid()), "ns", "mnt"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process holder : holders) {
            holder.destroyForcibly().waitFor();
        }
        run("rm", "-rf", DIRECTORY.toString());
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(mounts).doesNotContain(testClasses.toString()).doesNotContain(" " + JAVA + " ");
    }

    @Test
    @DisplayName("a mount namespace with this JVM's files is joined: the child runs there")
    void joinsWhereTheFilesAreTheSame() throws IOException {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectMethod(MountJoinTestCase.class, "sameFiles"));

        FixtureRunner.assertAllSucceeded(results, 1);
        assertThat(runner.marks().get(0)).startsWith("mnt=" + Namespaces.of(holders.get(0).pid())
                .inode(NamespaceType.MNT) + " ");
    }

    @Test
    @DisplayName("a planted java inside is refused, named, and never run")
    void refusesAPlantedJava() {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectMethod(MountJoinTestCase.class, "plantedJava"));

        assertThat(FixtureRunner.onlyFailure(results).getMessage())
                .startsWith("@JoinNamespace(type = MNT, path = \"" + MountJoinTestCase.PLANTED_JAVA + "\") on method "
                        + MountJoinTestCase.class.getName() + "#plantedJava: the child JVM would run files of that "
                        + "mount namespace that are not this JVM's. The first: " + JAVA + " is device ")
                .contains("set trustFiles = true on this @JoinNamespace");
        assertThat(DIRECTORY.resolve("planted-ran")).doesNotExist();
        assertThat(runner.marks()).isEmpty();
    }

    @Test
    @DisplayName("trustFiles = true skips the check, and then the namespace's own java is what runs")
    void trustRunsTheNamespacesJava() {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectMethod(MountJoinTestCase.class, "plantedJavaTrusted"));

        assertThat(FixtureRunner.onlyFailure(results).getMessage()).contains("exited with code 0 before reporting");
        assertThat(DIRECTORY.resolve("planted-ran")).as("the planted script ran as the child's java").exists();
    }

    @Test
    @DisplayName("a classpath directory replaced by a copy is refused by name; trusted, the copy runs the test")
    void aReplacedClasspathEntryIsNamed() throws IOException {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults refused = runner.run(selectMethod(MountJoinTestCase.class, "copiedClasses"));
        EngineExecutionResults trusted = runner.run(selectMethod(MountJoinTestCase.class, "copiedClassesTrusted"));

        assertThat(FixtureRunner.onlyFailure(refused).getMessage())
                .contains("The first: " + testClasses + " is device ");
        FixtureRunner.assertAllSucceeded(trusted, 1);
        assertThat(runner.marks()).hasSize(1);
        assertThat(runner.marks().get(0)).startsWith("copied classes mnt=" + Namespaces.of(holders.get(2).pid())
                .inode(NamespaceType.MNT) + " ");
    }

    @Test
    @DisplayName("trustFiles on a join of another type is a configuration error")
    void trustOnlyForMount() {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectMethod(MountJoinTestCase.class, "trustOnAnotherType"));

        assertThat(FixtureRunner.onlyFailure(results).getMessage()).contains("sets trustFiles = true, which only a "
                + "mount namespace's join has a use for");
        assertThat(runner.marks()).isEmpty();
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }
}
