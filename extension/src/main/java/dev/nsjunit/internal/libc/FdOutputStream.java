package dev.nsjunit.internal.libc;

import com.sun.jna.LastErrorException;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** Writes a raw file descriptor that the JDK did not open (a pipe or socket end made through {@link LibC}). */
public final class FdOutputStream extends OutputStream {

    private final int fd;

    FdOutputStream(int fd) {
        this.fd = fd;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        byte[] rest = offset == 0 ? buffer : Arrays.copyOfRange(buffer, offset, offset + length);
        int written = 0;
        while (written < length) {
            byte[] chunk = written == 0 ? rest : Arrays.copyOfRange(rest, written, length);
            try {
                written += (int) LibC.INSTANCE.write(fd, chunk, length - written);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EPIPE || e.getErrorCode() == Errno.ECONNRESET) {
                    throw new EOFException("the other end of fd " + fd + " is closed: " + Errno.describe(
                            e.getErrorCode()));
                }
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new IOException("write(fd " + fd + ") failed: " + Errno.describe(e.getErrorCode()), e);
                }
            }
        }
    }
}
