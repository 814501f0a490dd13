package dev.nsjunit.internal.parent;

import com.sun.jna.LastErrorException;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.MountPoints;
import dev.nsjunit.internal.libc.Errno;
import dev.nsjunit.internal.libc.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The run directories in which test JVMs bind-mount shared namespaces, each named after the JVM that made it, so
 * that the leftovers of a JVM that is gone (killed with SIGKILL, no shutdown hook ran) can be told apart and swept.
 *
 * <p>The name, {@code nsjunit-shared-<pid>-<start>-<pid namespace>-<random>}, holds the owner's pid, its start time
 * in clock ticks after boot (field 22 of {@code /proc/<pid>/stat}), which tells the owner from a later process that
 * got the same pid, and the inode of its pid namespace, outside which the pid means nothing. A directory is swept
 * only if its owner is known to be gone: one whose name says otherwise, or that is not a directory of this user's,
 * is left alone, as is one made before owners were named.
 *
 * <p>Both need a {@code /proc} of this JVM's own pid namespace: in a pid namespace under another one's {@code /proc}
 * (a JVM started by {@code unshare --pid --fork} without {@code --mount-proc}), {@code /proc/<our pid>} is some
 * other process or none. There the directory gets no owner in its name, and nothing is swept.
 */
final class SharedRunDirectories {

    private static final String PREFIX = "nsjunit-shared-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-(\\d+)-(\\d+)-\\d+");
    /** A file mounted over more than this many times was not mounted by nsjunit. */
    private static final int MAX_STACKED_MOUNTS = 16;

    private SharedRunDirectories() {
    }

    static Path temporaryDirectory() {
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /** Makes this JVM's run directory in {@code parent}. */
    static Path create(Path parent) throws IOException {
        long pid = ProcessHandle.current().pid();
        if (!procIsOurs(pid)) {
            return Files.createTempDirectory(parent, PREFIX);
        }
        return Files.createTempDirectory(parent, PREFIX + pid + "-" + startTicks(pid) + "-" + pidNamespace() + "-");
    }

    /** Whether {@code /proc} numbers processes as this JVM's pid namespace does. */
    private static boolean procIsOurs(long pid) {
        try {
            return Files.readSymbolicLink(Paths.get("/proc/self")).toString().equals(Long.toString(pid));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Unmounts ({@code MNT_DETACH}) and removes the run directories in {@code parent} whose owner is gone.
     *
     * @return what could not be removed, one line each, with what to do by hand
     */
    static List<String> sweep(Path parent) {
        List<String> problems = new ArrayList<>();
        if (!procIsOurs(ProcessHandle.current().pid())) {
            return problems; // Whether an owner is gone cannot be told from here.
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            long pidNamespace = pidNamespace();
            for (Path directory : entries) {
                if (isLeftover(directory, pidNamespace)) {
                    remove(directory, problems);
                }
            }
        } catch (IOException e) {
            problems.add("cannot list " + parent + ": " + e);
        }
        return problems;
    }

    private static boolean isLeftover(Path directory, long pidNamespace) {
        Matcher name = NAME.matcher(directory.getFileName().toString());
        if (!name.matches() || Long.parseLong(name.group(3)) != pidNamespace
                || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            // Only this user's own: what another user put in a shared /tmp is not ours to unmount or delete.
            Object owner = Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return owner.equals(LibC.INSTANCE.getuid())
                    && isGone(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)));
        } catch (IOException e) {
            return false; // Gone meanwhile (another JVM swept it), or unreadable: not ours to sweep now.
        }
    }

    /** Whether process {@code pid} that started at {@code startTicks} has ended (and been reaped). */
    private static boolean isGone(long pid, long startTicks) {
        try {
            return startTicks(pid) != startTicks;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // Cannot tell, so it may be running.
        }
    }

    /** Field 22 of {@code /proc/<pid>/stat}, counted after the command name, which may hold spaces and parentheses. */
    private static long startTicks(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[22 - 3]);
    }

    private static long pidNamespace() {
        return Namespaces.current().inode(NamespaceType.PID);
    }

    /** Deepest first: the bind mounts on the key directories' files, the files, the key directories, the directory. */
    private static void remove(Path directory, List<String> problems) {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory)) {
            paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            problems.add("cannot list " + directory + ": " + e + "; remove it by hand: umount -l its files, rm -r it");
            return;
        }
        for (Path path : paths) {
            if (!unmount(path, problems)) {
                return;
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                problems.add("cannot remove " + path + ": " + e + "; remove " + directory + " by hand (rm -r)");
                return;
            }
        }
    }

    /** Detaches every mount on {@code path}, until umount2 says it is none (EINVAL); false if that failed. */
    private static boolean unmount(Path path, List<String> problems) {
        for (int i = 0; i < MAX_STACKED_MOUNTS; i++) {
            try {
                LibC.INSTANCE.umount2(path.toString(), LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW);
            } catch (LastErrorException e) {
                String failed = "umount2(" + path + ", MNT_DETACH|UMOUNT_NOFOLLOW) failed: "
                        + Errno.describe(e.getErrorCode()) + " — ";
                String byHand = "the namespace it keeps stays alive until you run `umount -l " + path + "` by hand";
                if (e.getErrorCode() != Errno.EINVAL) {
                    problems.add(failed + (e.getErrorCode() == Errno.EPERM
                            ? "unmounting needs CAP_SYS_ADMIN over this mount namespace (root); " : "") + byHand);
                    return false;
                }
                // EINVAL also answers a mount this process may not unmount: only the mount table tells them apart.
                // A symbolic link, which UMOUNT_NOFOLLOW does not follow, is no mount point.
                boolean mounted;
                try {
                    mounted = !Files.isSymbolicLink(path) && MountPoints.isMountPoint(path);
                } catch (UncheckedIOException unreadable) {
                    problems.add(failed + "and whether it is still mounted cannot be told: " + unreadable.getMessage()
                            + "; " + byHand);
                    return false;
                }
                if (mounted) {
                    problems.add(failed + MountPoints.lockedMount(path) + " It is left, with the directories above "
                            + "it; " + byHand + " in the mount namespace that mounted it");
                    return false;
                }
                return true;
            }
        }
        problems.add(path + " is still mounted after " + MAX_STACKED_MOUNTS + " unmounts; not nsjunit's, left alone");
        return false;
    }
}
