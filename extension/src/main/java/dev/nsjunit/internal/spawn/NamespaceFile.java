package dev.nsjunit.internal.spawn;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.libc.Errno;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * An open namespace file ({@code /proc/<pid>/ns/<type>}, or a bind mount of one such as {@code /run/netns/lab}),
 * checked to be of the expected type: what {@code setns(2)} takes to join a namespace.
 */
public final class NamespaceFile implements AutoCloseable {

    private final Path path;
    private final NamespaceType type;
    private final Fd fd;

    private NamespaceFile(Path path, NamespaceType type, Fd fd) {
        this.path = path;
        this.type = type;
        this.fd = fd;
    }

    /**
     * Opens {@code path} and checks, with {@code ioctl(NS_GET_NSTYPE)}, that it is a namespace file of
     * {@code expected}.
     *
     * @throws IllegalArgumentException naming the path and what it is, if it is missing, unreadable, not a
     *         namespace file, or a namespace file of another type
     */
    public static NamespaceFile open(Path path, NamespaceType expected) {
        if (!Files.exists(path) && !Files.notExists(path)) {
            throw new IllegalArgumentException(path + " cannot be checked by this user (uid "
                    + LibC.INSTANCE.getuid() + "): reading another user's /proc/<pid>/ns needs ptrace access");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + " does not exist; expected a " + expected
                    + " namespace file such as /proc/<pid>/ns/" + expected.procName() + hint(expected));
        }
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is a directory, not a " + expected + " namespace file"
                    + hint(expected));
        }
        Fd fd;
        try {
            fd = new Fd(Spawner.aboveTargets(LibC.INSTANCE.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC)));
        } catch (LastErrorException e) {
            throw new IllegalArgumentException("cannot open " + path + ": " + Errno.describe(e.getErrorCode())
                    + (e.getErrorCode() == Errno.EACCES ? " — this user may not read it" : ""), e);
        }
        try {
            NamespaceType actual = typeOf(fd, path);
            if (actual != expected) {
                throw new IllegalArgumentException(path + " is a " + actual + " namespace file, not a " + expected
                        + " one; use type = NamespaceType." + actual.name() + ", or the " + expected.procName()
                        + " file of the process whose namespace you want");
            }
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
        return new NamespaceFile(path, expected, fd);
    }

    private static NamespaceType typeOf(Fd fd, Path path) {
        int flag;
        try {
            flag = LibC.INSTANCE.ioctl(fd.number(), LibC.NS_GET_NSTYPE);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOTTY || e.getErrorCode() == Errno.EINVAL) {
                throw new IllegalArgumentException(path + " is not a namespace file (" + describe(path) + "); a "
                        + "namespace file is /proc/<pid>/ns/<type> or a bind mount of one, such as the files "
                        + "`ip netns add` makes in /run/netns (an empty file is a namespace file only while "
                        + "one is bind-mounted onto it)", e);
            }
            throw new IllegalArgumentException("ioctl(" + path + ", NS_GET_NSTYPE) failed: "
                    + Errno.describe(e.getErrorCode()) + " (the kernel predates 4.11?)", e);
        }
        for (NamespaceType type : NamespaceType.values()) {
            if (type.cloneFlag() == flag) {
                return type;
            }
        }
        throw new IllegalArgumentException(path + " is a namespace file of an unknown type, flag 0x"
                + Integer.toHexString(flag));
    }

    private static String describe(Path path) {
        try {
            return Files.isRegularFile(path) ? "a regular file of " + Files.size(path) + " bytes"
                    : Files.isSymbolicLink(path) ? "a symbolic link" : "a special file";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static String hint(NamespaceType type) {
        return type == NamespaceType.NET ? ", or /run/netns/<name> made by `ip netns add <name>`" : "";
    }

    public Path path() {
        return path;
    }

    public NamespaceType type() {
        return type;
    }

    /** The descriptor, numbered above the ones the spawner's chain overwrites. */
    public Fd fd() {
        return fd;
    }

    /** The namespace's inode, the number {@code /proc/<pid>/ns/<type>} shows for its members. */
    public long inode() {
        // stat(2) through the descriptor's /proc link: the link's text would be the mount point for a bind mount.
        Path link = Paths.get("/proc/self/fd", Integer.toString(fd.number()));
        try {
            return ((Number) Files.getAttribute(link, "unix:ino")).longValue();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the inode of " + path + " through " + link + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * For a user namespace file: the uid that created it, {@code ioctl(NS_GET_OWNER_UID)}. An unprivileged user
     * may join only user namespaces it owns.
     *
     * @throws IllegalStateException naming the errno, if the kernel does not answer
     */
    public int ownerUid() {
        try (Memory uid = new Memory(4)) {
            LibC.INSTANCE.ioctl(fd.number(), LibC.NS_GET_OWNER_UID, uid);
            return uid.getInt(0);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            String cause = errno == Errno.EINVAL ? "only a user namespace has an owner, and this is a " + type
                    + " namespace file" : errno == Errno.ENOTTY ? "the kernel predates 4.11, which added the request"
                    : "the kernel would not say who owns the user namespace";
            throw new IllegalStateException("ioctl(" + path + ", NS_GET_OWNER_UID) failed: " + Errno.describe(errno)
                    + " — " + cause, e);
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
