package dev.nsjunit.internal.child;

import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.wire.Channel;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Status;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a child does, minus the namespaces and the parent: run by the parent once, with
 * {@code -XX:ArchiveClassesAtExit}, to record the classes every child loads in a class-data archive.
 */
final class Warmup {

    private Warmup() {
    }

    static void run() throws IOException {
        Namespaces.current();
        Priming.run(); // what a child started ahead does first, so that its classes are archived too
        int[] pair = new int[2];
        LibC.INSTANCE.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, pair);
        try (Fd here = new Fd(pair[0]); Fd there = new Fd(pair[1])) {
            Channel channel = new Channel(here);
            Finished outcome = new SingleTestRunner(channel::send).run("[engine:junit-jupiter]/[class:"
                    + Body.class.getName() + "]/[method:run()]", Map.of());
            channel.send(outcome);
            new Channel(there).receive();
            if (outcome.status() != Status.SUCCESSFUL) {
                throw new IllegalStateException("the warm-up test did not pass: " + outcome);
            }
        }
    }

    /** A trivial test; its class name keeps class-path scanning from picking it up. */
    static final class Body {
        @Test
        void run() {
        }
    }
}
