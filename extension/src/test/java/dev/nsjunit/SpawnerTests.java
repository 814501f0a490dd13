package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.spawn.ChildExit;
import dev.nsjunit.internal.spawn.ChildProcess;
import dev.nsjunit.internal.spawn.NamespaceFile;
import dev.nsjunit.internal.spawn.SpawnException;
import dev.nsjunit.internal.spawn.Spawner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spawner on its own, running small shell commands instead of a JVM. */
class SpawnerTests {

    private static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");

    private static String runShell(Set<NamespaceType> types, String script) throws Exception {
        return runShell(types, Map.of(), script);
    }

    private static String runShell(Set<NamespaceType> types, Map<NamespaceType, NamespaceFile> joins, String script)
            throws Exception {
        try (ChildProcess child = Spawner.spawn(types, joins, List.of("/bin/sh", "-c", script), ENV);
                Fd stdout = child.stdout(); Fd stderr = child.stderr()) {
            String out = readAll(child.stdout());
            ChildExit exit = child.awaitExit(Duration.ofSeconds(10));
            assertThat(exit.describe()).isEqualTo("exited with code 0");
            return out;
        }
    }

    private static String readAll(Fd fd) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InputStream in = fd.inputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) > 0) {
            bytes.write(buffer, 0, n);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("the child keeps only stdin, stdout, stderr and the channel; even fds without O_CLOEXEC are closed")
    void closesEveryOtherDescriptor() throws Exception {
        int leaky = LibC.INSTANCE.open("/dev/null", LibC.O_RDONLY); // deliberately without O_CLOEXEC
        try (Fd ignored = new Fd(leaky)) {
            // ls lists the shell's descriptors ($$), not its own, which include the one it reads the directory with.
            String fds = runShell(EnumSet.of(NamespaceType.UTS), "ls /proc/$$/fd");
            assertThat(fds.trim().split("\n")).containsExactly("0", "1", "2", "3");
            assertThat(leaky).isGreaterThan(3);
        }
    }

    @Test
    @DisplayName("where close_range is refused (a kernel before 5.9, a seccomp rule), each inherited fd is closed")
    void closesEveryOtherDescriptorOneByOne() throws Exception {
        int leaky = LibC.INSTANCE.open("/dev/null", LibC.O_RDONLY); // deliberately without O_CLOEXEC
        System.setProperty("nsjunit.internal.spawn.closeEachDescriptor", "true");
        try (Fd ignored = new Fd(leaky)) {
            // The new user namespace makes it a copy of this JVM, and with it the sync pipe (fd 5) to close as well.
            for (Set<NamespaceType> types : List.of(EnumSet.of(NamespaceType.UTS), EnumSet.of(NamespaceType.USER))) {
                String fds = runShell(types, "ls /proc/$$/fd");
                assertThat(fds.trim().split("\n")).as("descriptors with %s", types)
                        .containsExactly("0", "1", "2", "3");
            }
        } finally {
            System.clearProperty("nsjunit.internal.spawn.closeEachDescriptor");
        }
    }

    @Test
    @DisplayName("stdin is /dev/null and the channel (fd 3) is a socket")
    void stdinAndChannel() throws Exception {
        String links = runShell(EnumSet.of(NamespaceType.UTS), "readlink /proc/self/fd/0 /proc/self/fd/3");
        assertThat(links).startsWith("/dev/null\nsocket:[");
    }

    @Test
    @DisplayName("the child leads a session and process group of its own, so its tree can be killed as one")
    void leadsItsOwnSession() throws Exception {
        String ids = runShell(EnumSet.of(NamespaceType.UTS), "echo $$; ps -o pid=,pgid=,sid= -p $$");
        String[] lines = ids.trim().split("\n");
        String pid = lines[0].trim();
        assertThat(lines[1].trim().split("\\s+")).containsExactly(pid, pid, pid);
    }

    @Test
    @DisplayName("with user, the maps are written before execve: the program starts as uid 0 with capabilities")
    void userMapsAreWrittenBeforeExec() throws Exception {
        String status = runShell(EnumSet.of(NamespaceType.USER), "cat /proc/self/uid_map /proc/self/gid_map; "
                + "grep -E '^(Uid|CapEff):' /proc/self/status");
        assertThat(status).containsPattern("^\\s*0\\s+0\\s+1\\n\\s*0\\s+0\\s+1\\n")
                .containsPattern("Uid:\\s+0\\s+0\\s+0\\s+0")
                .doesNotContain("CapEff:\t0000000000000000");
    }

    @Test
    @DisplayName("time goes through unshare in the chain: the program runs in a new time namespace")
    void timeNamespaceIsEnteredAtExec() throws Exception {
        String link = runShell(EnumSet.of(NamespaceType.TIME), "readlink /proc/self/ns/time");
        assertThat(link.trim()).startsWith("time:[")
                .isNotEqualTo("time:[" + Namespaces.current().inode(NamespaceType.TIME) + "]");
    }

    @Test
    @DisplayName("a joined time namespace is the program's: setns(CLONE_NEWTIME) refuses a child sharing our memory")
    void joinsATimeNamespace() throws Exception {
        long ours = Namespaces.current().inode(NamespaceType.TIME);
        Process holder = new ProcessBuilder("unshare", "--time", "sleep", "60").start();
        try {
            // unshare makes the namespace for its children; its execve of sleep moves it in.
            long theirs = await().atMost(Duration.ofSeconds(10))
                    .until(() -> Namespaces.of(holder.pid()).inode(NamespaceType.TIME), inode -> inode != ours);
            try (NamespaceFile time = NamespaceFile.open(Path.of("/proc", Long.toString(holder.pid()), "ns", "time"),
                    NamespaceType.TIME)) {
                String link = runShell(Set.of(), Map.of(NamespaceType.TIME, time), "readlink /proc/self/ns/time");
                assertThat(link.trim()).isEqualTo("time:[" + theirs + "]");
            }
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    @Test
    @DisplayName("a join the kernel refuses is reported with its errno name, and the program is not started")
    void refusedJoinIsReported(@TempDir Path temp) throws Exception {
        long ours = Namespaces.current().inode(NamespaceType.USER);
        // A user namespace of root's without a uid map: a child that joined it has capabilities over what it owns,
        // and so no longer over our net namespace.
        Process holder = new ProcessBuilder("unshare", "--user", "sleep", "60").start();
        Path marker = temp.resolve("ran");
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Namespaces.of(holder.pid()).inode(NamespaceType.USER), inode -> inode != ours);
            try (NamespaceFile user = NamespaceFile.open(Path.of("/proc", Long.toString(holder.pid()), "ns", "user"),
                    NamespaceType.USER);
                    NamespaceFile net = NamespaceFile.open(Path.of("/proc/self/ns/net"), NamespaceType.NET)) {
                assertThatThrownBy(() -> Spawner.spawn(Set.of(), Map.of(NamespaceType.USER, user, NamespaceType.NET,
                        net), List.of("/bin/sh", "-c", "touch " + marker), ENV))
                        .isInstanceOf(SpawnException.class)
                        .hasMessage("setns(/proc/self/ns/net, CLONE_NEWNET) failed in the child: EPERM (1) — the "
                                + "child lacks CAP_SYS_ADMIN over that net namespace: setns needs it in the user "
                                + "namespace that owns the namespace, and a child that joined a user namespace has "
                                + "it only over the namespaces that one owns. Join the user namespace that owns it, "
                                + "or no user namespace. The program was not started.");
            }
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    @DisplayName("a working directory missing in a joined mount namespace is reported with its errno, and the program "
            + "is not run from another directory")
    void missingWorkingDirectoryInAJoinedMountNamespaceIsReported(@TempDir Path temp) throws Exception {
        Path workingDirectory = Path.of(System.getProperty("user.dir"));
        Path marker = temp.resolve("ran");
        // A mount namespace in which an empty tmpfs hides the working directory's parent, so the directory is
        // missing there. unshare(1) makes the new namespace's mounts private: nothing reaches ours.
        Process holder = new ProcessBuilder("unshare", "--mount", "sh", "-c", "mount -t tmpfs nsjunit-test "
                + workingDirectory.getParent() + " && echo ready && exec sleep 60").start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("ready\n");
            try (NamespaceFile mount = NamespaceFile.open(Path.of("/proc", Long.toString(holder.pid()), "ns", "mnt"),
                    NamespaceType.MNT)) {
                assertThatThrownBy(() -> Spawner.spawn(Set.of(), Map.of(NamespaceType.MNT, mount),
                        List.of("/bin/sh", "-c", "touch " + marker), ENV))
                        .isInstanceOf(SpawnException.class)
                        .hasMessage("chdir(" + workingDirectory + ") failed in the child after it joined the mount "
                                + "namespace: ENOENT (2) — the test JVM's working directory does not exist in that "
                                + "mount namespace. Run the tests from a directory that exists there too, or mount it "
                                + "there. The program was not started, rather than run from another directory.");
            }
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    @DisplayName("joining the user namespace the JVM is in already is no error: the child is in it anyway")
    void joiningOurOwnUserNamespaceIsANoOp() throws Exception {
        try (NamespaceFile user = NamespaceFile.open(Path.of("/proc/self/ns/user"), NamespaceType.USER)) {
            String link = runShell(Set.of(), Map.of(NamespaceType.USER, user), "readlink /proc/self/ns/user");
            assertThat(link.trim()).isEqualTo("user:[" + Namespaces.current().inode(NamespaceType.USER) + "]");
        }
    }

    @Test
    @DisplayName("a failed execve is reported with its errno name")
    void failedExecNamesTheErrno() {
        assertThatThrownBy(() -> Spawner.spawn(EnumSet.of(NamespaceType.UTS), List.of("/no/such/java"), ENV))
                .isInstanceOf(SpawnException.class)
                .hasMessage("execve(/no/such/java) failed in the child: ENOENT (2) — the java binary does not exist; "
                        + "check java.home.");
    }

    @Test
    @DisplayName("killTree ends the child and what it started in the background")
    void killTreeEndsEverything() throws Exception {
        try (ChildProcess child = Spawner.spawn(EnumSet.of(NamespaceType.UTS),
                List.of("/bin/sh", "-c", "sleep 623.5 & sleep 623.5"), ENV);
                Fd stdout = child.stdout(); Fd stderr = child.stderr()) {
            child.killTree();
            ChildExit exit = child.awaitExit(Duration.ofSeconds(10));
            assertThat(exit.describe()).isEqualTo("was killed by SIGKILL (9)");
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> ChildLifetimeTests.processesWithArgument("623.5").isEmpty());
    }
}
