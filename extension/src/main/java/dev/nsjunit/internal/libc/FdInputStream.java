package dev.nsjunit.internal.libc;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * Reads a raw file descriptor that the JDK did not open (a pipe or socket end made through {@link LibC}). Waits in
 * {@code poll(2)} slices so that a waiting thread stays interruptible.
 */
public final class FdInputStream extends InputStream {

    private static final int POLL_SLICE_MILLIS = 100;

    private final int fd;
    private final PollFd pollFd;

    FdInputStream(int fd) {
        this.fd = fd;
        this.pollFd = new PollFd(fd);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        awaitReadable();
        byte[] chunk = offset == 0 ? buffer : new byte[length];
        long n;
        try {
            n = LibC.INSTANCE.read(fd, chunk, length);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ECONNRESET) {
                return -1; // the other end closed a socket with data of ours unread: it is gone, as at EOF
            }
            throw new IOException("read(fd " + fd + ") failed: " + Errno.describe(e.getErrorCode()), e);
        }
        if (n == 0) {
            return -1;
        }
        if (chunk != buffer) {
            System.arraycopy(chunk, 0, buffer, offset, (int) n);
        }
        return (int) n;
    }

    private void awaitReadable() throws IOException {
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while reading fd " + fd);
            }
            try {
                if (pollFd.awaitReadable(POLL_SLICE_MILLIS)) {
                    return;
                }
            } catch (LastErrorException e) {
                throw new IOException("poll(fd " + fd + ") failed: " + Errno.describe(e.getErrorCode()), e);
            }
        }
    }
}
