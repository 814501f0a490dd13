package dev.nsjunit.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.internal.spawn.ChildProcess;
import dev.nsjunit.internal.spawn.Spawner;
import dev.nsjunit.internal.wire.Message.DynamicNode;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Ready;
import dev.nsjunit.internal.wire.Message.Refused;
import dev.nsjunit.internal.wire.Message.ReportEntry;
import dev.nsjunit.internal.wire.Message.Status;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parent's side of a conversation, with fake children: shell processes that write given bytes to their channel
 * (fd 3) and then sleep, as a child that broke the protocol and went on with its test would.
 */
class ChildSessionTests {

    @TempDir
    Path temp;

    static Stream<Throwable> errors() {
        return Stream.of(new OutOfMemoryError("Java heap space (simulated)"),
                new StackOverflowError("simulated"), new NoClassDefFoundError("com/example/Gone (simulated)"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    @DisplayName("an Error while talking to the child kills, reaps and closes it, and the test fails saying why")
    void errorEndsTheChild(Throwable error) throws Exception {
        ChildProcess child = fakeChild(new byte[0]);
        String channel = descriptor(child.channel().number());

        ChildRun.Result result = session(child).attend((c, nodes) -> {
            throw sneaky(error);
        });

        assertThat(result.failure()).isInstanceOf(ChildJvmException.class).hasCause(error)
                .hasMessage("nsjunit failed while talking to the child JVM (pid " + child.pid() + ") running "
                        + "fake test: " + error + "; killed its process tree");
        assertGone(child, channel);
    }

    @Test
    @DisplayName("garbage on the channel fails the test with a protocol error naming it and the child's pid, and "
            + "the child is killed")
    void garbage() throws Exception {
        ChildProcess child = fakeChild("garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String channel = descriptor(child.channel().number());

        ChildRun.Result result = session(child).attend((c, nodes) -> (Finished) c.receive(Ready.class,
                Refused.class));

        assertThat(result.failure()).hasMessageStartingWith("protocol error: unknown message tag 103")
                .hasMessageContaining(", from the child JVM (pid " + child.pid() + ") running fake test; killed its "
                        + "process tree (it was killed by SIGKILL (9))");
        assertGone(child, channel);
    }

    @Test
    @DisplayName("a field declaring 2^31-1 bytes with ten sent fails as a protocol error, with no OutOfMemoryError")
    void hugeLength() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(7); // Finished
        out.writeByte(Status.FAILED.ordinal());
        out.writeBoolean(true);
        out.writeInt(Integer.MAX_VALUE);
        out.writeBytes("ten bytes!");
        ChildProcess child = fakeChild(bytes.toByteArray());
        String channel = descriptor(child.channel().number());

        ChildRun.Result result = session(child).attend(ChildSessionTests::outcome);

        assertThat(result.failure()).hasMessageStartingWith("protocol error: a field of the Finished message "
                + "declares 2147483647 bytes, beyond the limit").hasMessageContaining("(pid " + child.pid() + ")");
        assertGone(child, channel);
    }

    @Test
    @DisplayName("a cause chain 10 000 deep fails as a protocol error, with no StackOverflowError")
    void deepCauseChain() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(7);
        out.writeByte(Status.FAILED.ordinal());
        for (int i = 0; i < 10_000; i++) {
            out.writeBoolean(true);
            out.writeInt(-1);
            out.writeInt(-1);
            out.writeInt(0);
        }
        ChildProcess child = fakeChild(bytes.toByteArray());
        String channel = descriptor(child.channel().number());

        ChildRun.Result result = session(child).attend(ChildSessionTests::outcome);

        assertThat(result.failure()).hasMessageStartingWith("protocol error: the Finished message nests throwables")
                .hasMessageContaining("(pid " + child.pid() + ")");
        assertGone(child, channel);
    }

    @Test
    @DisplayName("a Ready where an outcome is expected is a protocol error, not a ClassCastException")
    void outOfOrder() throws Exception {
        ChildProcess child = fakeChild(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1,
            -1});
        String channel = descriptor(child.channel().number());

        ChildRun.Result result = session(child).attend(ChildSessionTests::outcome);

        assertThat(result.failure()).hasMessageStartingWith("protocol error: expected ReportEntry, DynamicNode or "
                + "Finished, got Ready, from the child JVM (pid " + child.pid() + ")");
        assertGone(child, channel);
    }

    /** The parent's loop after Go, as ChildRun holds it. */
    private static Finished outcome(dev.nsjunit.internal.wire.Channel channel, List<DynamicNode> nodes)
            throws IOException {
        while (true) {
            if (channel.receive(ReportEntry.class, DynamicNode.class, Finished.class) instanceof Finished finished) {
                return finished;
            }
        }
    }

    private static ChildSession session(ChildProcess child) {
        return new ChildSession(child, "fake test", Duration.ofMinutes(1));
    }

    /** A child that writes {@code bytes} to its channel and then sleeps, its channel open. */
    private ChildProcess fakeChild(byte[] bytes) throws Exception {
        Path file = Files.write(temp.resolve("channel-bytes"), bytes);
        return Spawner.spawn(Set.of(), List.of("/bin/sh", "-c", "cat '" + file + "' >&3; exec sleep 600"),
                Map.of("PATH", "/usr/bin:/bin"));
    }

    private static String descriptor(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
    }

    private static void assertGone(ChildProcess child, String channel) throws IOException {
        assertThat(child.isAlive()).as("child alive").isFalse();
        assertThat(Path.of("/proc", Integer.toString(child.pid()))).as("the child, reaped").doesNotExist();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            assertThat(fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    return "";
                }
            })).as("this JVM's descriptors").doesNotContain(channel);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
