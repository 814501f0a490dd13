package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Namespaces#keepAlive}: seed 002's {@code touch} and {@code mount --bind}, and the way back. */
class KeepAliveTests {

    @TempDir
    Path temp;

    private Process holder;

    /** A process alone in a new UTS namespace named "seed-002". */
    @BeforeEach
    void startHolder() throws Exception {
        holder = new ProcessBuilder("unshare", "--uts", "sh", "-c", "hostname seed-002 && exec sleep 60").start();
        await().atMost(Duration.ofSeconds(10)).until(() -> hostnameIn("/proc/" + holder.pid() + "/ns/uts")
                .equals("seed-002"));
    }

    @AfterEach
    void stopHolder() throws Exception {
        holder.destroyForcibly().waitFor();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(temp.toString());
    }

    @Test
    @DisplayName("the namespace outlives its last process while bind-mounted, and close unmounts and removes the file")
    void outlivesItsProcess() throws Exception {
        Path file = temp.resolve("uts");
        long inode = Namespaces.of(holder.pid()).inode(NamespaceType.UTS);

        try (NamespaceHandle handle = Namespaces.keepAlive(holder.pid(), NamespaceType.UTS, file)) {
            holder.destroyForcibly().waitFor();

            assertThat(handle.inode()).isEqualTo(inode);
            assertThat(((Number) Files.getAttribute(file, "unix:ino")).longValue()).isEqualTo(inode);
            assertThat(hostnameIn(file.toString())).isEqualTo("seed-002");
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(file.toString());
        }
        assertThat(file).doesNotExist();
    }

    @Test
    @DisplayName("an existing file is mounted over and left in place on close")
    void existingFileStays() throws Exception {
        Path file = Files.writeString(temp.resolve("mine"), "");

        Namespaces.keepAlive(holder.pid(), NamespaceType.UTS, file).close();

        assertThat(file).exists().isEmptyFile();
    }

    @Test
    @DisplayName("no such process, a directory, or a missing directory: an error naming it")
    void badArguments() {
        assertThatThrownBy(() -> Namespaces.keepAlive(Integer.MAX_VALUE, NamespaceType.NET, temp.resolve("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot keep the net namespace of pid " + Integer.MAX_VALUE + " alive: no such process");
        assertThatThrownBy(() -> Namespaces.keepAlive(holder.pid(), NamespaceType.UTS, temp))
                .hasMessage(temp + " is a directory; a namespace file is bind-mounted onto a file, such as "
                        + temp.resolve("uts"));
        assertThatThrownBy(() -> Namespaces.keepAlive(holder.pid(), NamespaceType.UTS, temp.resolve("no/uts")))
                .hasMessage("cannot create " + temp.resolve("no/uts") + ": its directory does not exist");
    }

    @Test
    @DisplayName("a plain main keeps a namespace the same way, and releases it when it closes the handle")
    void fromAPlainMain() throws Exception {
        Path file = temp.resolve("from-main");
        Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KeepAliveMain.class.getName(),
                Long.toString(holder.pid()), "uts", file.toString())
                .redirectError(temp.resolve("stderr.txt").toFile()).start(); // JDK 22+ warns there of native access
        BufferedReader out = new BufferedReader(new InputStreamReader(main.getInputStream(), StandardCharsets.UTF_8));

        assertThat(out.readLine()).isEqualTo("kept " + Namespaces.of(holder.pid()).inode(NamespaceType.UTS));
        holder.destroyForcibly().waitFor();
        assertThat(hostnameIn(file.toString())).isEqualTo("seed-002");
        try (Writer in = new OutputStreamWriter(main.getOutputStream(), StandardCharsets.UTF_8)) {
            in.write("\n");
        }
        assertThat(out.readLine()).isEqualTo("released");
        assertThat(main.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(file).doesNotExist();
    }

    @Test
    @DisplayName("close after someone else unmounted the file only removes it: EINVAL there means not mounted")
    void closeAfterAnUnmountByHand() throws Exception {
        Path file = temp.resolve("uts");
        NamespaceHandle handle = Namespaces.keepAlive(holder.pid(), NamespaceType.UTS, file);
        Process umount = new ProcessBuilder("umount", file.toString()).inheritIO().start();
        assertThat(umount.waitFor()).isZero();

        handle.close();

        assertThat(file).doesNotExist();
    }

    @Test
    @DisplayName("a mount that stays mounted though umount2 says EINVAL (a locked one) is reported, not taken for gone")
    void lockedMountIsReported() throws Exception {
        Path file = temp.resolve("uts");
        try (NamespaceHandle handle = Namespaces.keepAlive(holder.pid(), NamespaceType.UTS, file)) {
            // A new mount namespace in a new user namespace gets our mounts locked: none can be unmounted there.
            Process main = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), NamespaceHandleCloseMain.class.getName(),
                    "uts", Long.toString(handle.inode()), file.toString())
                    .redirectError(temp.resolve("stderr.txt").toFile()).start();
            String out = new String(main.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(main.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(out).isEqualTo("umount2(" + file + ", MNT_DETACH) failed: EINVAL (22) — " + file + " is "
                    + "still a mount point, which this process may not unmount: a mount its mount namespace got "
                    + "from a more privileged one is locked there. The uts namespace " + handle.inode()
                    + " stays alive; unmount it by hand with `umount " + file + "` in the mount namespace that "
                    + "mounted it");
        }
    }

    private static String hostnameIn(String utsFile) throws Exception {
        Process nsenter = new ProcessBuilder("nsenter", "--uts=" + utsFile, "hostname").redirectErrorStream(true)
                .start();
        String name = new String(nsenter.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        nsenter.waitFor();
        return name;
    }
}
