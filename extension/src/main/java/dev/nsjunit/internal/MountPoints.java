package dev.nsjunit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;

/** The mount points of this process's mount namespace, as {@code /proc/self/mountinfo} lists them. */
public final class MountPoints {

    private static final Path MOUNTINFO = Paths.get("/proc/self/mountinfo");

    private MountPoints() {
    }

    /**
     * Whether something is mounted on {@code path}, symbolic links resolved as the kernel records mount points.
     *
     * @throws UncheckedIOException if the path or the mount table cannot be read
     */
    public static boolean isMountPoint(Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + path + ": " + e, e);
        }
        try {
            return parse(Files.readString(MOUNTINFO)).contains(real.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MOUNTINFO + ": " + e, e);
        }
    }

    /** The mount points strictly below {@code directory}, in the mount table's order (empty if it cannot be read). */
    public static List<String> under(Path directory) {
        String prefix = directory.toString() + "/";
        try {
            return parse(Files.readString(MOUNTINFO)).stream().filter(point -> point.startsWith(prefix))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Why {@code umount2} said EINVAL for {@code path} though it is still a mount point: EINVAL is the answer for a
     * path that is no mount point, and also for a mount this process may not unmount.
     */
    public static String lockedMount(Path path) {
        return path + " is still a mount point, which this process may not unmount: a mount its mount namespace got "
                + "from a more privileged one is locked there.";
    }

    /**
     * The mount points of a mountinfo text: the fifth field of each line, in which the kernel writes a space, tab,
     * newline and backslash as the octal escapes {@code \040}, {@code \011}, {@code \012} and {@code \134}.
     */
    static List<String> parse(String mountinfo) {
        return mountinfo.lines().filter(line -> !line.isBlank()).map(line -> unescape(line.split(" ")[4]))
                .collect(Collectors.toList());
    }

    private static String unescape(String field) {
        StringBuilder text = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
