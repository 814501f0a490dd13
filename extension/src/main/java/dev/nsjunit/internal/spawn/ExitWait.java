package dev.nsjunit.internal.spawn;

import com.sun.jna.LastErrorException;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.libc.PollFd;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits, with a time limit, for a child of this process to exit, without reaping it.
 *
 * <p>A pidfd ({@code pidfd_open}, Linux 5.3) becomes readable when its process exits, so one {@code poll} sleeps
 * until then; the child is not reaped yet, so the pidfd cannot refer to a process that reused its number. Without
 * pidfds the exit is polled for every 2 ms: each test JVM's child would then cost tens of native calls, enough to
 * make the JIT compile JNA's call path in the test JVM.
 */
final class ExitWait {

    private static final long POLL_MILLIS = 2;

    private ExitWait() {
    }

    /** Whether the child {@code pid} exited within {@code grace}; {@code exited} tells without waiting. */
    static boolean exitedWithin(int pid, Duration grace, BooleanSupplier exited) {
        long deadline = System.nanoTime() + grace.toNanos();
        Fd pidfd = pidfd(pid);
        if (pidfd != null) {
            try (pidfd; PollFd exit = new PollFd(pidfd.number())) {
                while (true) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (exit.awaitReadable((int) Math.max(0, Math.min(left, Integer.MAX_VALUE)))) {
                        return true;
                    }
                    if (left <= 0) {
                        return exited.getAsBoolean();
                    }
                }
            } catch (LastErrorException e) {
                // poll failed otherwise than by EINTR: waited for as below
            }
        }
        while (!exited.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
        }
        return true;
    }

    /** A pidfd for {@code pid}, or null where the kernel has none (before 5.3: ENOSYS). */
    private static Fd pidfd(int pid) {
        try {
            return new Fd((int) LibC.INSTANCE.syscall(LibC.SYS_pidfd_open, pid, 0));
        } catch (LastErrorException e) {
            return null;
        }
    }
}
