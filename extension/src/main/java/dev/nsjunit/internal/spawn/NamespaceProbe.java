package dev.nsjunit.internal.spawn;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tries namespaces for real, the way an isolated test gets them: a child through the same clone chain, which runs
 * {@code sleep} instead of a JVM, checked from outside while it runs and then killed. What fails is worded by the
 * same advice the tests' failures carry.
 */
public final class NamespaceProbe {

    /** Where coreutils' sleep lives on the distributions nsjunit knows; the first trusted one is used. */
    private static final List<Path> SLEEP = List.of(Path.of("/usr/bin/sleep"), Path.of("/bin/sleep"));

    private NamespaceProbe() {
    }

    /**
     * Why a child in new namespaces of {@code types} cannot be had here, or empty if one was made and was in a new
     * namespace of each type, and in this process's namespace of every other.
     */
    public static Optional<String> tryTypes(Set<NamespaceType> types) {
        if (types.contains(NamespaceType.TIME)) {
            Optional<String> noTime = SpawnPlatform.newTimeNamespaceUnsupportedReason();
            if (noTime.isPresent()) {
                return noTime;
            }
        }
        Optional<String> unsupported = SpawnPlatform.unsupportedReason();
        if (unsupported.isPresent()) {
            return unsupported;
        }
        Path sleep;
        try {
            sleep = trustedSleep();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
        Namespaces parent = Namespaces.current();
        ChildProcess child;
        try {
            child = Spawner.spawn(types, List.of(sleep.toString(), "30"), Map.of("PATH", "/usr/bin:/bin"));
        } catch (SpawnException e) {
            return Optional.of(e.getMessage());
        }
        try (child) {
            Set<NamespaceType> differing = new TreeSet<>(parent.differingTypes(Namespaces.of(child.pid())));
            return differing.equals(new TreeSet<>(types)) ? Optional.empty()
                    : Optional.of("a child was made, but the kernel put it into new " + differing + " namespaces "
                            + "for the requested " + new TreeSet<>(types) + ": this kernel does not isolate as asked");
        } finally {
            child.stdout().close();
            child.stderr().close();
        }
    }

    /**
     * The sleep binary, if root owns it and its directory and nobody else may write to either: the probe runs as
     * root too, and must not execute what another local user could have put there.
     */
    private static Path trustedSleep() {
        for (Path candidate : SLEEP) {
            if (trusted(candidate) && trusted(candidate.getParent())) {
                return candidate;
            }
        }
        throw new IllegalStateException("no trusted sleep binary (root-owned, writable by root only) at " + SLEEP
                + ": install coreutils");
    }

    private static boolean trusted(Path path) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return !attributes.isSymbolicLink() && "root".equals(attributes.owner().getName())
                    && !attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    && !attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException e) {
            return false;
        }
    }
}
