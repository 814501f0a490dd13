package dev.nsjunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.sun.jna.LastErrorException;
import dev.nsjunit.internal.MountPoints;
import dev.nsjunit.internal.libc.Errno;
import dev.nsjunit.internal.libc.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/**
 * A namespace kept alive by a bind mount of its {@code /proc/<pid>/ns/<type>} file onto {@link #path()}, made by
 * {@link Namespaces#keepAlive}. While the mount exists the namespace outlives every process in it, and any process
 * may join it through the path ({@code nsenter --net=<path>}, {@link JoinNamespace}). {@link #close()} unmounts it
 * and removes the file if {@code keepAlive} created it; the kernel frees the namespace once no process, open file
 * or other mount refers to it any more.
 */
@API(status = EXPERIMENTAL, since = "0.2.0")
public final class NamespaceHandle implements AutoCloseable {

    private final NamespaceType type;
    private final long inode;
    private final Path path;
    private final boolean createdFile;
    private final AtomicBoolean closed = new AtomicBoolean();

    NamespaceHandle(NamespaceType type, long inode, Path path, boolean createdFile) {
        this.type = type;
        this.inode = inode;
        this.path = path;
        this.createdFile = createdFile;
    }

    /** The type of the namespace kept. */
    public NamespaceType type() {
        return type;
    }

    /** The namespace's inode, as {@code /proc/<pid>/ns/<type>} of its members shows it. */
    public long inode() {
        return inode;
    }

    /** Where the namespace file is bind-mounted. */
    public Path path() {
        return path;
    }

    /**
     * Unmounts {@link #path()} (lazily, {@code MNT_DETACH}, so a process that has it open does not make this fail)
     * and removes the file if it was created for the mount. Calling it again does nothing.
     *
     * @throws IllegalStateException if the unmount fails; the namespace then stays alive
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            LibC.INSTANCE.umount2(path.toString(), LibC.MNT_DETACH);
        } catch (LastErrorException e) {
            // EINVAL is the answer for a path that is no mount point (someone unmounted it already), but also for a
            // mount this process may not unmount: only the mount table tells the two apart.
            closed.set(false); // Until known to be unmounted; reading the mount table may fail too.
            if (e.getErrorCode() != Errno.EINVAL || MountPoints.isMountPoint(path)) {
                throw new IllegalStateException(unmountFailure(e.getErrorCode()), e);
            }
            closed.set(true);
        }
        if (createdFile) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("unmounted " + path + " but cannot remove it: " + e.getMessage(), e);
            }
        }
    }

    private String unmountFailure(int errno) {
        String call = "umount2(" + path + ", MNT_DETACH) failed: " + Errno.describe(errno) + " — ";
        String alive = type + " namespace " + inode + " stays alive; unmount it by hand with `umount " + path + "`";
        if (errno == Errno.EINVAL) {
            return call + MountPoints.lockedMount(path) + " The " + alive + " in the mount namespace that mounted it";
        }
        return call + "the " + alive;
    }

    @Override
    public String toString() {
        return type + " namespace " + inode + " kept at " + path + (closed.get() ? " (released)" : "");
    }
}
