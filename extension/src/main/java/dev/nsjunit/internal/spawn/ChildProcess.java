package dev.nsjunit.internal.spawn;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.nsjunit.internal.libc.Errno;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;
import java.time.Duration;

/**
 * A running child made by {@link Spawner}: its pid (as the parent numbers it), the parent's ends of its stdout,
 * stderr and channel, and the means to end it and everything it started.
 *
 * <p>The child leads a session and process group of its own ({@code setsid} in the chain), so its whole tree can
 * be killed with one {@code kill(-pid)}, also without a pid namespace.
 */
public final class ChildProcess implements AutoCloseable {

    private static final long SIGINFO_SIZE = 128;
    private static final long SI_PID = 16;

    private final int pid;
    private final Fd channel;
    private final Fd stdout;
    private final Fd stderr;
    private volatile ChildExit exit;

    ChildProcess(int pid, Fd channel, Fd stdout, Fd stderr) {
        this.pid = pid;
        this.channel = channel;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public int pid() {
        return pid;
    }

    public Fd channel() {
        return channel;
    }

    public Fd stdout() {
        return stdout;
    }

    public Fd stderr() {
        return stderr;
    }

    /** Sends SIGKILL to the child's process group and to the child itself. Safe to call at any time. */
    public void killTree() {
        if (exit != null) {
            return; // Reaped: the pid may belong to someone else by now.
        }
        signal(-pid);
        signal(pid);
    }

    private static void signal(int target) {
        try {
            LibC.INSTANCE.kill(target, LibC.SIGKILL);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ESRCH) {
                throw new IllegalStateException("kill(" + target + ", SIGKILL) failed: "
                        + Errno.describe(e.getErrorCode()), e);
            }
        }
    }

    /**
     * Waits up to {@code grace} for the child to exit, kills its tree if it has not, sweeps up anything its
     * process group still holds, and reaps it.
     */
    public ChildExit awaitExit(Duration grace) {
        if (exit != null) {
            return exit;
        }
        if (!ExitWait.exitedWithin(pid, grace, this::hasExited)) {
            killTree();
        }
        // The child is a zombie now or about to be one: its pid and group id stay reserved until it is reaped, so
        // the group can be killed without hitting an unrelated process that reused the number.
        signal(-pid);
        exit = reap();
        return exit;
    }

    /** Whether the child is still running (it may have exited without being reaped yet). */
    public boolean isAlive() {
        return exit == null && !hasExited();
    }

    /** {@code waitid(WNOWAIT)}: has the child exited, without reaping it. */
    private boolean hasExited() {
        try (Memory info = new Memory(SIGINFO_SIZE)) {
            info.clear();
            LibC.INSTANCE.waitid(LibC.P_PID, pid, info, LibC.WEXITED | LibC.WNOHANG | LibC.WNOWAIT);
            return info.getInt(SI_PID) == pid;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EINTR) {
                return false;
            }
            throw new IllegalStateException("waitid(" + pid + ") failed: " + Errno.describe(e.getErrorCode()), e);
        }
    }

    private ChildExit reap() {
        int[] status = new int[1];
        while (true) {
            try {
                LibC.INSTANCE.waitpid(pid, status, 0);
                return ChildExit.fromWaitStatus(status[0]);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new IllegalStateException("waitpid(" + pid + ") failed: "
                            + Errno.describe(e.getErrorCode()), e);
                }
            }
        }
    }

    /**
     * Kills and reaps the child if still running, and closes the channel. Its stdout and stderr belong to whoever
     * reads them (their pumps), who closes them after the last read.
     */
    @Override
    public void close() {
        if (exit == null) {
            killTree();
            awaitExit(Duration.ofSeconds(5));
        }
        channel.close();
    }
}
