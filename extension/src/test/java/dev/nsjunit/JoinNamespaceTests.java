package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.JoinErrorsTestCase;
import dev.nsjunit.fixtures.JoinTestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code @JoinNamespace}: a network namespace made by {@code ip netns add}, a UTS namespace whose only process is
 * gone (kept alive by {@link Namespaces#keepAlive}), and the pid namespace of a running process.
 */
class JoinNamespaceTests {

    private static final Path DIRECTORY = Path.of(JoinTestCase.DIRECTORY);

    @TempDir
    Path temp;

    private final List<Process> processes = new ArrayList<>();
    private final List<NamespaceHandle> handles = new ArrayList<>();

    @BeforeEach
    void prepare() throws Exception {
        Files.createDirectories(DIRECTORY);
        Files.writeString(DIRECTORY.resolve("plain"), "not a namespace");
        run("ip", "netns", "add", JoinTestCase.LAB);
        // A UTS namespace with its own host name, whose process then exits: only the bind mount keeps it.
        Process uts = start("unshare", "--uts", "sh", "-c", "hostname kept-alive && exec sleep 60");
        await().atMost(Duration.ofSeconds(10)).until(() -> hostnameOf(uts.pid()).equals("kept-alive"));
        handles.add(Namespaces.keepAlive(uts.pid(), NamespaceType.UTS, DIRECTORY.resolve("uts")));
        uts.destroyForcibly().waitFor();
        // A pid namespace lives only as long as its init: that one keeps running.
        Process pidInit = start("unshare", "--pid", "--fork", "sleep", "60");
        long init = await().atMost(Duration.ofSeconds(10)).until(() -> childOf(pidInit.pid()), pid -> pid > 0);
        handles.add(Namespaces.keepAlive(init, NamespaceType.PID, DIRECTORY.resolve("pid")));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (NamespaceHandle handle : handles) {
            handle.close();
        }
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        run("ip", "netns", "delete", JoinTestCase.LAB);
        Files.deleteIfExists(DIRECTORY.resolve("plain"));
        Files.deleteIfExists(DIRECTORY);
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(DIRECTORY.toString());
    }

    @Test
    @DisplayName("a test joins the named namespaces, and gets new ones of the types it asks for")
    void joinsExistingNamespaces() {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectMethod(JoinTestCase.class, "joinsUtsAndNetWithANewIpc"));

        FixtureRunner.assertAllSucceeded(results, 1);
        long lab = inodeOf(Path.of("/run/netns", JoinTestCase.LAB));
        Namespaces ours = Namespaces.current();
        String mark = runner.marks().get(0);
        assertThat(mark).startsWith("joined uts=" + handles.get(0).inode() + " net=" + lab + " ipc=")
                .endsWith(" kept-alive");
        long ipc = Long.parseLong(mark.replaceAll(".* ipc=(\\d+) .*", "$1"));
        assertThat(ipc).isNotEqualTo(ours.inode(NamespaceType.IPC));
        String table = FixtureRunner.entriesWithPrefix(results, "nsjunit.namespaces").get("nsjunit.namespaces");
        assertThat(table).containsPattern("net +joined " + lab + " +\\d+ +" + lab + " +ok")
                .containsPattern("ipc +new +\\d+ +\\d+ +ok").containsPattern("uts +joined " + handles.get(0).inode());
    }

    @Test
    @DisplayName("a test joins the pid namespace of a running process, where it is not PID 1")
    void joinsAPidNamespace() {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectMethod(JoinTestCase.class, "joinsPid"));

        FixtureRunner.assertAllSucceeded(results, 1);
        String mark = runner.marks().get(0);
        assertThat(mark).startsWith("pid pidns=" + handles.get(1).inode() + " self=");
        assertThat(Long.parseLong(mark.split(" ")[2].substring("self=".length()))).isGreaterThan(1);
        // The spawning thread went back to our pid namespace: the next child is in ours again.
        assertThat(Namespaces.of(start("sleep", "10").pid()).inode(NamespaceType.PID))
                .isEqualTo(Namespaces.current().inode(NamespaceType.PID));
    }

    @Test
    @DisplayName("a child in a joined pid namespace, under the host's /proc, ends its test's processes and spares "
            + "the host's processes that share its numbers")
    void joinedPidNamespaceUnderTheHostsProcSparesTheHost() throws Exception {
        // A host process group with a member besides its leader (the shell; its own argument is the whole command):
        // the leader's host pid is about to be the child's pid, and so its process group, inside the namespace.
        String hostSleep = "615.246";
        start("setsid", "sh", "-c", "sleep " + hostSleep + " & wait");
        long hostMember = await().atMost(Duration.ofSeconds(10))
                .until(() -> ChildLifetimeTests.pidsWithArgument(hostSleep), pids -> pids.size() == 1).get(0);
        long hostGroup = processGroupOf(hostMember);
        // The namespace's next pid is the host group's number: ns_last_pid applies to the writer's pid namespace.
        run("nsenter", "--pid=" + DIRECTORY.resolve("pid"), "sh", "-c",
                "echo " + (hostGroup - 1) + " > /proc/sys/kernel/ns_last_pid");
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectMethod(JoinTestCase.class, "joinsPidAndLeavesASleeper"));

        FixtureRunner.assertAllSucceeded(results, 1);
        assertThat(runner.marks().get(0)).as("the scenario: the child's pid is the host group's number")
                .startsWith("pid self=" + hostGroup + " sleeper=");
        assertThat(ChildLifetimeTests.processesWithArgument(JoinTestCase.SLEEP_SECONDS))
                .as("the test's own process, ended before the test reported").isEmpty();
        assertThat(ChildLifetimeTests.pidsWithArgument(hostSleep)).as("the host's process").containsExactly(hostMember);
    }

    @Test
    @DisplayName("a wrong path, type or combination is a configuration error naming it; no process starts")
    void wrongDeclarationsFail() {
        FixtureRunner runner = new FixtureRunner(temp);

        EngineExecutionResults results = runner.run(selectClass(JoinErrorsTestCase.class));

        Map<String, String> failures = FixtureRunner.messagesByTest(results);
        String on = " on method " + JoinErrorsTestCase.class.getName() + "#";
        assertThat(failures).hasSize(6);
        assertThat(failures.get("missing()")).isEqualTo("@JoinNamespace(type = NET, path = \"" + DIRECTORY
                + "/missing\")" + on + "missing: " + DIRECTORY + "/missing does not exist; expected a net namespace "
                + "file such as /proc/<pid>/ns/net, or /run/netns/<name> made by `ip netns add <name>`");
        assertThat(failures.get("plainFile()")).startsWith("@JoinNamespace(type = NET, path = \"" + DIRECTORY
                + "/plain\")" + on + "plainFile: " + DIRECTORY + "/plain is not a namespace file (a regular file of "
                + "15 bytes)");
        assertThat(failures.get("otherType()")).endsWith(DIRECTORY + "/uts is a uts namespace file, not a net one; "
                + "use type = NamespaceType.UTS, or the net file of the process whose namespace you want");
        assertThat(failures.get("relative()")).contains("the path must be absolute");
        assertThat(failures.get("newAndJoined()")).contains("joins a net namespace that the @InNamespace there asks "
                + "to create new (net = true)");
        assertThat(failures.get("newUserAndJoined()")).contains("asks for a new user namespace (user = true) and "
                + "joins [uts] namespaces");
        assertThat(runner.marks()).isEmpty();
    }

    private Process start(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }

    private static String hostnameOf(long pid) throws Exception {
        Process nsenter = new ProcessBuilder("nsenter", "--uts=/proc/" + pid + "/ns/uts", "hostname").start();
        String name = new String(nsenter.getInputStream().readAllBytes()).trim();
        nsenter.waitFor();
        return name;
    }

    /** Field 5 of {@code /proc/<pid>/stat}, counted after the command name. */
    private static long processGroupOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    }

    private static long childOf(long pid) throws IOException {
        Path children = Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children");
        String text = Files.exists(children) ? Files.readString(children).trim() : "";
        return text.isEmpty() ? 0 : Long.parseLong(text.split(" ")[0]);
    }

    private static long inodeOf(Path path) {
        try {
            return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
