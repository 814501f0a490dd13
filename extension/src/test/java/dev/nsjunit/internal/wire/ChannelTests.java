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
}
