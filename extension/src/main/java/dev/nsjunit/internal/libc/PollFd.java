package dev.nsjunit.internal.libc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/** One descriptor's {@code struct pollfd} ({@code int fd; short events; short revents}), for repeated polls. */
public final class PollFd implements AutoCloseable {

    private final Memory struct = new Memory(8);

    public PollFd(int fd) {
        struct.setInt(0, fd);
        struct.setShort(4, LibC.POLLIN);
    }

    /**
     * Waits up to {@code timeoutMillis} for the descriptor to be readable; revents also reports POLLHUP and POLLERR,
     * which a read then returns as end of file or an error. False on time-out and on EINTR.
     *
     * @throws LastErrorException if poll(2) fails otherwise
     */
    public boolean awaitReadable(int timeoutMillis) {
        struct.setShort(6, (short) 0);
        try {
            return LibC.INSTANCE.poll(struct, 1, timeoutMillis) > 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EINTR) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        struct.close();
    }
}
