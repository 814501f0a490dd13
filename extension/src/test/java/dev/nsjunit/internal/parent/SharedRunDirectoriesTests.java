package dev.nsjunit.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.NamespaceHandle;
import dev.nsjunit.Namespaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run directories named after their owner: only those of an owner known to be gone are swept. */
class SharedRunDirectoriesTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("a directory of a process that is gone is unmounted and removed; this JVM's, another pid "
            + "namespace's, one without an owner and a symbolic link are left alone")
    void sweepsOnlyWhatIsKnownToBeLeft() throws IOException {
        Path ours = SharedRunDirectories.create(temp);
        // nsjunit-shared-<pid>-<start>-<pid namespace>-<random>
        String[] name = ours.getFileName().toString().split("-");
        long start = Long.parseLong(name[3]);
        long pidNamespace = Long.parseLong(name[4]);
        String pid = name[2];
        // This pid, but a later start: the owner is gone and the pid taken by a process started after it.
        Path reused = Files.createDirectories(temp.resolve(named(pid, start - 1, pidNamespace, 1)).resolve("key"));
        Namespaces.keepAlive(ProcessHandle.current().pid(), NamespaceType.UTS, reused.resolve("uts"));
        Path otherNamespace = Files.createDirectory(temp.resolve(named(pid, start - 1, pidNamespace + 1, 2)));
        Path unnamed = Files.createDirectory(temp.resolve("nsjunit-shared-123456789"));
        Path link = Files.createSymbolicLink(temp.resolve(named(pid, start - 1, pidNamespace, 3)),
                otherNamespace);

        assertThat(SharedRunDirectories.sweep(temp)).isEmpty();

        assertThat(reused.getParent()).doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(reused.toString());
        assertThat(ours).isDirectory();
        assertThat(otherNamespace).isDirectory();
        assertThat(unnamed).isDirectory();
        assertThat(link).isSymbolicLink();
    }

    @Test
    @DisplayName("a JVM in a pid namespace under another one's /proc names no owner, and sweeps nothing")
    void noOwnerUnderAnotherNamespacesProc() throws IOException, InterruptedException {
        // unshare --pid --fork without --mount-proc: the JVM is pid 2 or so, while /proc/self names its host pid.
        Process jvm = new ProcessBuilder("unshare", "--pid", "--fork", Path.of(System.getProperty("java.home"),
                "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                RunDirectoryMain.class.getName(), temp.toString()).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes());

        assertThat(jvm.waitFor()).as(output).isZero();
        List<String> lines = output.lines().collect(Collectors.toList());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("nsjunit-shared-").doesNotMatch("nsjunit-shared-\\d+-\\d+-\\d+-\\d+");
        assertThat(temp.resolve(lines.get(0))).isDirectory();
        assertThat(lines.get(1)).as("a leftover of that pid namespace: whether its owner is gone cannot be told there")
                .isEqualTo("left alone");
    }

    @Test
    @DisplayName("a leftover mount that a mount namespace holds locked is reported as such, and its directory kept")
    void lockedLeftoverMountIsReported() throws IOException, InterruptedException {
        Path ours = SharedRunDirectories.create(temp);
        String[] name = ours.getFileName().toString().split("-");
        // A pid no process has: the owner is gone.
        Path key = Files.createDirectories(temp.resolve(named("999999999", 1, Long.parseLong(name[4]), 1))
                .resolve("key"));
        Path file = key.resolve("uts");
        try (NamespaceHandle handle = Namespaces.keepAlive(ProcessHandle.current().pid(), NamespaceType.UTS,
                file)) {
            // A new mount namespace in a new user namespace gets our mounts locked: none can be unmounted there.
            Process jvm = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SweepMain.class.getName(), temp.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(output).isEqualTo("umount2(" + file + ", MNT_DETACH|UMOUNT_NOFOLLOW) failed: EINVAL (22) — "
                    + file + " is still a mount point, which this process may not unmount: a mount its mount "
                    + "namespace got from a more privileged one is locked there. It is left, with the directories "
                    + "above it; the namespace it keeps stays alive until you run `umount -l " + file + "` by hand "
                    + "in the mount namespace that mounted it");
            assertThat(file).exists();
        }
        assertThat(SharedRunDirectories.sweep(temp)).as("swept where the mount is not locked").isEmpty();
        assertThat(key.getParent()).doesNotExist();
    }

    private static String named(String pid, long start, long pidNamespace, int random) {
        return "nsjunit-shared-" + pid + "-" + start + "-" + pidNamespace + "-" + random;
    }
}
