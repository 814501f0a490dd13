package dev.nsjunit.internal.libc;

import com.sun.jna.LastErrorException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Owns one raw file descriptor and closes it exactly once: a second {@code close(2)} of a number the kernel has
 * meanwhile handed to another thread's {@code open} would close someone else's file.
 */
public final class Fd implements AutoCloseable {

    private final int number;
    private final AtomicBoolean closed = new AtomicBoolean();

    public Fd(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** A stream over this descriptor; closing the stream does not close the descriptor. */
    public FdInputStream inputStream() {
        return new FdInputStream(number);
    }

    /** A stream over this descriptor; closing the stream does not close the descriptor. */
    public FdOutputStream outputStream() {
        return new FdOutputStream(number);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                LibC.INSTANCE.close(number);
            } catch (LastErrorException ignored) {
                // close(2) releases the number even when it reports EINTR or EIO; nothing else to do.
            }
        }
    }

    @Override
    public String toString() {
        return "fd " + number;
    }
}
