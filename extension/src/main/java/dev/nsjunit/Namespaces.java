package dev.nsjunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.INTERNAL;

import com.sun.jna.LastErrorException;
import dev.nsjunit.internal.libc.Errno;
import dev.nsjunit.internal.libc.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * An immutable snapshot of the namespaces one process is in, as the inode numbers of its
 * {@code /proc/<pid>/ns/*} files. Two processes are in the same namespace of a type exactly when those numbers
 * are equal.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class Namespaces {

    private final long pid;
    private final Map<NamespaceType, Long> inodes;

    private Namespaces(long pid, Map<NamespaceType, Long> inodes) {
        this.pid = pid;
        Map<NamespaceType, Long> copy = new EnumMap<>(NamespaceType.class);
        copy.putAll(inodes); // not new EnumMap<>(inodes): that refuses an empty map of another kind
        this.inodes = Collections.unmodifiableMap(copy);
    }

    /** The namespaces of the calling process. */
    public static Namespaces current() {
        return read(ProcessHandle.current().pid(), Paths.get("/proc/self/ns"));
    }

    /**
     * The namespaces of process {@code pid}, read from {@code /proc/<pid>/ns}. Reading another user's process
     * needs the same privilege as {@code ptrace(2)} in read mode.
     *
     * @throws UncheckedIOException if the process does not exist or its files cannot be read
     */
    public static Namespaces of(long pid) {
        return read(pid, Paths.get("/proc", Long.toString(pid), "ns"));
    }

    /** A snapshot made from inodes already read elsewhere (the other side of a process boundary). */
    @API(status = INTERNAL, since = "0.1.0")
    public static Namespaces fromInodes(long pid, Map<NamespaceType, Long> inodes) {
        return new Namespaces(pid, inodes);
    }

    /**
     * Keeps the {@code type} namespace of process {@code pid} alive beyond the process: bind-mounts its
     * {@code /proc/<pid>/ns/<type>} file onto {@code path}, creating an empty file there first if there is none
     * (the shell's {@code touch path; mount --bind /proc/<pid>/ns/<type> path}). Close the returned handle to
     * unmount it. Needs {@code CAP_SYS_ADMIN} over this process's mount namespace (root, as a rule).
     *
     * @throws IllegalArgumentException if the process does not exist, or {@code path} is a directory or lies in a
     *         directory that does not exist
     * @throws IllegalStateException if the bind mount fails, with the errno and its likely cause
     */
    @API(status = EXPERIMENTAL, since = "0.2.0")
    public static NamespaceHandle keepAlive(long pid, NamespaceType type, Path path) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        Path source = Paths.get("/proc", Long.toString(pid), "ns", type.procName());
        if (!Files.isDirectory(Paths.get("/proc", Long.toString(pid)))) {
            throw new IllegalArgumentException("cannot keep the " + type + " namespace of pid " + pid
                    + " alive: no such process");
        }
        long inode = of(pid).inode(type);
        Path target = path.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(target + " is a directory; a namespace file is bind-mounted onto a "
                    + "file, such as " + target.resolve(type.procName()));
        }
        boolean created = false;
        if (!Files.exists(target)) {
            if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
                throw new IllegalArgumentException("cannot create " + target + ": its directory does not exist");
            }
            try {
                Files.createFile(target);
                created = true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + target + " to mount the namespace on: " + e, e);
            }
        }
        try {
            LibC.INSTANCE.mount(source.toString(), target.toString(), null, LibC.MS_BIND, null);
        } catch (LastErrorException e) {
            if (created) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException ignored) {
                    // The mount failure below is what the caller needs to hear about.
                }
            }
            throw new IllegalStateException("mount --bind " + source + " " + target + " failed: "
                    + Errno.describe(e.getErrorCode()) + (e.getErrorCode() == Errno.EPERM
                            ? " — a bind mount needs CAP_SYS_ADMIN over this process's mount namespace (root). "
                                    + "Without it, keep the namespace alive by holding " + source + " open."
                            : e.getErrorCode() == Errno.EINVAL
                                    ? " — the kernel refuses to mount a mount namespace's file inside that same "
                                            + "namespace or one created after it"
                                    : ""), e);
        }
        return new NamespaceHandle(type, inode, target, created);
    }

    private static Namespaces read(long pid, Path nsDirectory) {
        Map<NamespaceType, Long> inodes = new EnumMap<>(NamespaceType.class);
        for (NamespaceType type : NamespaceType.values()) {
            Path file = nsDirectory.resolve(type.procName());
            try {
                // The link's text is "<type>:[<inode>]", the same number stat(2) gives as st_ino.
                String target = Files.readSymbolicLink(file).toString();
                inodes.put(type, parseInode(target, file));
            } catch (NoSuchFileException e) {
                if (!Files.isDirectory(nsDirectory)) {
                    throw new UncheckedIOException("cannot read " + nsDirectory + ": no such process " + pid, e);
                }
                // This kernel predates the type (for example time before 5.6): nothing to record.
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage()
                        + " (reading another user's process needs ptrace read access)", e);
            }
        }
        return new Namespaces(pid, inodes);
    }

    private static long parseInode(String linkTarget, Path file) {
        int open = linkTarget.indexOf('[');
        int close = linkTarget.indexOf(']');
        if (open < 0 || close < open) {
            throw new IllegalStateException("unexpected link text '" + linkTarget + "' of " + file
                    + "; expected '<type>:[<inode>]'");
        }
        return Long.parseLong(linkTarget.substring(open + 1, close));
    }

    /** The process this snapshot was taken of, as the process that took it numbered it. */
    public long pid() {
        return pid;
    }

    /** The types this kernel has, in declaration order. */
    public Set<NamespaceType> types() {
        return inodes.isEmpty() ? EnumSet.noneOf(NamespaceType.class) : EnumSet.copyOf(inodes.keySet());
    }

    /**
     * The inode of the namespace of {@code type}.
     *
     * @throws NoSuchElementException if this kernel has no namespaces of that type
     */
    public long inode(NamespaceType type) {
        Long inode = inodes.get(Objects.requireNonNull(type, "type"));
        if (inode == null) {
            throw new NoSuchElementException("no " + type + " namespace in this snapshot: the kernel predates it ("
                    + type.cloneFlagName() + " came with Linux " + type.sinceKernel() + ")");
        }
        return inode;
    }

    /** The types in which this process and {@code other} are in different namespaces. */
    public Set<NamespaceType> differingTypes(Namespaces other) {
        Objects.requireNonNull(other, "other");
        Set<NamespaceType> differing = EnumSet.noneOf(NamespaceType.class);
        for (Map.Entry<NamespaceType, Long> entry : inodes.entrySet()) {
            Long theirs = other.inodes.get(entry.getKey());
            if (theirs != null && !theirs.equals(entry.getValue())) {
                differing.add(entry.getKey());
            }
        }
        return differing;
    }

    /** All inodes by type, unmodifiable. */
    public Map<NamespaceType, Long> inodes() {
        return inodes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Namespaces && ((Namespaces) o).pid == pid && ((Namespaces) o).inodes.equals(inodes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pid, inodes);
    }

    /** A table, one line per type: {@code "uts     4026531838"}. */
    @Override
    public String toString() {
        StringBuilder table = new StringBuilder("namespaces of pid ").append(pid).append('\n');
        inodes.forEach((type, inode) -> table.append(String.format("  %-7s %d%n", type, inode)));
        return table.toString();
    }
}
