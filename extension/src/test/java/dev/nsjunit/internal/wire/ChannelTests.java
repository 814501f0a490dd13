package dev.nsjunit.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Go;
import dev.nsjunit.internal.wire.Message.Ready;
import dev.nsjunit.internal.wire.Message.Refused;
import dev.nsjunit.internal.wire.Message.ReportEntry;
import dev.nsjunit.internal.wire.Message.RunTest;
import dev.nsjunit.internal.wire.Message.Status;
import dev.nsjunit.internal.wire.Message.Stop;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every message survives the trip through a real socketpair. */
class ChannelTests {

    private Fd left;
    private Fd right;

    @BeforeEach
    void socketPair() {
        int[] fds = new int[2];
        LibC.INSTANCE.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, fds);
        left = new Fd(fds[0]);
        right = new Fd(fds[1]);
    }

    @AfterEach
    void close() {
        left.close();
        right.close();
    }

    @Test
    @DisplayName("each message arrives equal to what was sent")
    void roundTrips() throws Exception {
        Channel sender = new Channel(left);
        Channel receiver = new Channel(right);
        Namespaces namespaces = Namespaces.fromInodes(7, Map.of(NamespaceType.UTS, 4026531838L));
        List<Message> messages = List.of(
                new RunTest("[engine:junit-jupiter]/[class:X]/[method:y()]", EnumSet.of(NamespaceType.UTS,
                        NamespaceType.TIME), Map.of(NamespaceType.NET, 4026532001L), "box", namespaces, Map.of("a", "1", "ü", "€"), Map.of()),
                new Ready(namespaces, List.of("hostname box"), "JUnit primed"), new Refused("no"), new Go(), new Stop("stop"),
                new ReportEntry(Map.of("key", "value")), new Finished(Status.SUCCESSFUL, null));
        for (Message message : messages) {
            sender.send(message);
            assertThat(receiver.receive()).isEqualTo(message);
        }
    }

    @Test
    @DisplayName("a throwable crosses as plain data and serialized bytes")
    void throwableRoundTrips() throws Exception {
        Channel sender = new Channel(left);
        Channel receiver = new Channel(right);
        IllegalStateException original = new IllegalStateException("boom", new RuntimeException("cause"));

        sender.send(new Finished(Status.FAILED, ThrowableData.of(original)));
        Finished finished = (Finished) receiver.receive();

        ThrowableData data = finished.throwable();
        assertThat(data.className()).isEqualTo(IllegalStateException.class.getName());
        assertThat(data.message()).isEqualTo("boom");
        assertThat(data.stackTrace()).containsExactly(original.getStackTrace());
        assertThat(data.cause().message()).isEqualTo("cause");
        assertThat(data.serialized()).isNotEmpty();
    }

    @Test
    @DisplayName("a closed peer is an EOFException, not a hang")
    void eofWhenPeerCloses() {
        Channel receiver = new Channel(right);
        left.close();

        assertThatThrownBy(receiver::receive).isInstanceOf(EOFException.class);
    }

    @Test
    @DisplayName("an unknown tag is a protocol error that names it")
    void garbageIsAProtocolError() throws Exception {
        Channel receiver = new Channel(right);
        write(left, "garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertThatThrownBy(receiver::receive).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("protocol error: unknown message tag 103");
    }

    @Test
    @DisplayName("a frame cut off by the end of the channel is a protocol error that says where, not a hang")
    void truncatedFrame() throws Exception {
        Channel receiver = new Channel(right);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(frame);
        out.writeByte(3); // Refused
        out.writeInt(20);
        out.writeBytes("only ten b");
        write(left, frame.toByteArray());
        left.close();

        assertThatThrownBy(receiver::receive).isInstanceOf(ProtocolException.class)
                .hasMessage("protocol error: the channel ended inside a Refused message, after 15 of its bytes");
    }

    @Test
    @DisplayName("a field declaring 2^31-1 bytes with ten sent is refused without allocating it")
    void hugeDeclaredLength() throws Exception {
        Channel receiver = new Channel(right);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(frame);
        out.writeByte(3);
        out.writeInt(Integer.MAX_VALUE);
        out.writeBytes("ten bytes!");
        write(left, frame.toByteArray());

        assertThatThrownBy(receiver::receive).isInstanceOf(ProtocolException.class)
                .hasMessage("protocol error: a field of the Refused message declares 2147483647 bytes, beyond the "
                        + "limit of 67108864 for a field and 134217728 for a message");
    }

    @Test
    @DisplayName("a field within the limit is allocated as its bytes arrive: 60 MiB declared, ten sent, costs no "
            + "60 MiB")
    void allocatesOnlyWhatArrived() throws Exception {
        Channel receiver = new Channel(right);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(frame);
        out.writeByte(3);
        out.writeInt(60 * 1024 * 1024);
        out.writeBytes("ten bytes!");
        write(left, frame.toByteArray());
        left.close();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        assertThatThrownBy(receiver::receive).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("ended inside a Refused message, after 15 of its bytes");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated by receive")
                .isLessThan(4L * 1024 * 1024);
    }

    @Test
    @DisplayName("a cause chain 10 000 deep is refused at the nesting limit, without a StackOverflowError")
    void deepCauseChain() throws Exception {
        Channel receiver = new Channel(right);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(frame);
        out.writeByte(7); // Finished
        out.writeByte(Status.FAILED.ordinal());
        for (int i = 0; i < 10_000; i++) {
            out.writeBoolean(true); // a throwable, whose cause comes next
            out.writeInt(-1); // class name
            out.writeInt(-1); // message
            out.writeInt(0); // stack frames
        }
        Thread sender = new Thread(() -> {
            try {
                write(left, frame.toByteArray());
            } catch (RuntimeException closedMeanwhile) {
                // the receiver stopped reading at the limit and the test closed the socket
            }
        });
        sender.start();
        try {
            assertThatThrownBy(receiver::receive).isInstanceOf(ProtocolException.class)
                    .hasMessage("protocol error: the Finished message nests throwables (causes and suppressed) more "
                            + "than " + ThrowableData.MAX_NESTING + " deep");
        } finally {
            right.close();
            sender.join(10_000);
        }
        assertThat(sender.isAlive()).isFalse();
    }

    @Test
    @DisplayName("an enum ordinal out of range is a protocol error that names it, not an "
            + "ArrayIndexOutOfBoundsException")
    void ordinalOutOfRange() throws Exception {
        Channel receiver = new Channel(right);
        write(left, new byte[] {7, 9, 0});

        assertThatThrownBy(receiver::receive).isInstanceOf(ProtocolException.class)
                .hasMessage("protocol error: the Finished message has outcome status number 9, but there are only 3 "
                        + "(0 to 2)");
    }

    @Test
    @DisplayName("a count below zero is a protocol error")
    void negativeCount() throws Exception {
        Channel receiver = new Channel(right);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(frame);
        out.writeByte(6); // ReportEntry
        out.writeInt(-5);
        write(left, frame.toByteArray());

        assertThatThrownBy(receiver::receive).isInstanceOf(ProtocolException.class)
                .hasMessage("protocol error: the ReportEntry message declares -5 map entries, outside 0 to 1000000");
    }

    @Test
    @DisplayName("a message other than the expected ones is a protocol error naming both")
    void messageOutOfOrder() throws Exception {
        Channel sender = new Channel(left);
        Channel receiver = new Channel(right);
        sender.send(new Finished(Status.SUCCESSFUL, null));

        assertThatThrownBy(() -> receiver.receive(Ready.class, Refused.class)).isInstanceOf(ProtocolException.class)
                .hasMessage("protocol error: expected Ready or Refused, got Finished");
    }

    @Test
    @DisplayName("a throwable nested deeper than the limit is cut in the child, so that what it sends is accepted")
    void deepThrowableIsCutWhenCaptured() throws Exception {
        Throwable deep = new RuntimeException("root");
        for (int i = 0; i < 10_000; i++) {
            deep = new RuntimeException("level " + i, deep);
        }
        ThrowableData data = ThrowableData.of(deep);
        Channel sender = new Channel(left);
        Channel receiver = new Channel(right);
        Thread writer = new Thread(() -> {
            try {
                sender.send(new Finished(Status.FAILED, data));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();

        Finished finished = (Finished) receiver.receive();
        writer.join(10_000);

        int depth = 0;
        for (ThrowableData t = finished.throwable(); t != null; t = t.cause()) {
            depth++;
        }
        assertThat(depth).isEqualTo(ThrowableData.MAX_NESTING + 1);
    }

    private static void write(Fd fd, byte[] bytes) {
        int written = 0;
        while (written < bytes.length) {
            byte[] rest = java.util.Arrays.copyOfRange(bytes, written, bytes.length);
            written += (int) LibC.INSTANCE.write(fd.number(), rest, rest.length);
        }
    }
}
