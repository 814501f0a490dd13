package dev.nsjunit.internal.child;

import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.wire.Channel;
import java.io.IOException;

/**
 * Ends the child's whole process group when the parent dies. {@code PR_SET_PDEATHSIG} alone is not enough: it
 * fires when the spawning <em>thread</em> ends, and does nothing for processes the test started. The parent
 * sends nothing after {@code Go}, so a read on the channel returns only at EOF: when the parent is gone.
 */
final class ParentWatch {

    private ParentWatch() {
    }

    static void start(Channel channel) {
        Thread watch = new Thread(() -> {
            try {
                channel.receive();
            } catch (IOException | RuntimeException parentGone) {
                // EOF or a broken channel: nobody is left to report to.
            }
            // pid 0 means our own process group, which the clone chain made with setsid.
            LibC.INSTANCE.kill(0, LibC.SIGKILL);
        }, "nsjunit-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
