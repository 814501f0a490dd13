package dev.nsjunit.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.jna.Memory;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.libc.LibC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Entering a pid namespace around one clone, and what happens when the way back fails. */
class PidNamespaceEntryTests {

    private static final int CAP_SYS_ADMIN = 21;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    private Process holder;
    private long init;

    /** A pid namespace whose init is a sleep. */
    @BeforeEach
    void startHolder() {
        try {
            holder = new ProcessBuilder("unshare", "--pid", "--fork", "sleep", "60").start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        init = await().atMost(Duration.ofSeconds(10)).until(() -> childOf(holder.pid()), pid -> pid > 0);
    }

    @AfterEach
    void stopHolder() throws Exception {
        holder.descendants().forEach(ProcessHandle::destroyForcibly);
        holder.destroyForcibly().waitFor();
    }

    @Test
    @DisplayName("if the thread cannot point its children back, the child it made is killed and reaped, not lost")
    void failedReturnEndsTheChild() throws Exception {
        AtomicReference<ChildProcess> spawned = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        // A thread of its own: it is left without CAP_SYS_ADMIN and with its children pointed at the namespace.
        Thread thread = new Thread(() -> {
            try (NamespaceFile pid = NamespaceFile.open(Path.of("/proc", Long.toString(init), "ns", "pid"),
                    NamespaceType.PID)) {
                PidNamespaceEntry.cloneInto(pid, () -> {
                    ChildProcess child = Spawner.spawn(Set.of(), Map.of(), List.of("/bin/sleep", "623.9"),
                            Map.of());
                    spawned.set(child);
                    // setns needs CAP_SYS_ADMIN to point the children back, and this thread now lacks it.
                    dropEffectiveCapability(CAP_SYS_ADMIN);
                    return child.pid();
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        thread.start();
        thread.join();

        ChildProcess child = spawned.get();
        assertThat(child).isNotNull();
        try {
            assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot point this thread's children back at its own pid namespace: setns("
                            + "/proc/thread-self/ns/pid, CLONE_NEWPID) failed: EPERM (1) (the thread lacks "
                            + "CAP_SYS_ADMIN now) — the child just started in /proc/" + init + "/ns/pid (pid "
                            + child.pid() + ") was killed; any later child of this thread would start in that "
                            + "namespace too, so restart the test JVM");
            assertThat(ProcessHandle.of(child.pid())).as("the child, killed and reaped").isEmpty();
        } finally {
            if (ProcessHandle.of(child.pid()).isPresent()) {
                child.close();
            } else {
                child.channel().close();
            }
            child.stdout().close();
            child.stderr().close();
        }
    }

    /** capset(2) on the calling thread only: capabilities are per thread. */
    private static void dropEffectiveCapability(int capability) {
        try (Memory header = new Memory(8); Memory data = new Memory(24)) {
            header.setInt(0, LINUX_CAPABILITY_VERSION_3);
            header.setInt(4, 0);
            assertThat(LibC.function("capget").invokeInt(new Object[] {header, data})).isZero();
            data.setInt(0, data.getInt(0) & ~(1 << capability));
            assertThat(LibC.function("capset").invokeInt(new Object[] {header, data})).isZero();
        }
    }

    private static long childOf(long pid) throws java.io.IOException {
        Path children = Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children");
        String text = Files.exists(children) ? Files.readString(children).trim() : "";
        return text.isEmpty() ? 0 : Long.parseLong(text.split(" ")[0]);
    }
}
