package dev.nsjunit.internal.parent;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.spawn.FilesInside;
import dev.nsjunit.internal.spawn.FilesInside.Found;
import dev.nsjunit.internal.spawn.NamespaceFile;
import dev.nsjunit.internal.spawn.SpawnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Refuses to start a child JVM in a joined mount namespace whose files differ from this JVM's. A child that joined
 * a mount namespace execs {@code java}, loads its libraries and reads its classpath from that namespace's file
 * system, with the privileges of the test JVM (as root: every capability, in the host's user namespace): whoever can
 * write files there (a container's root, for {@code /proc/<container pid>/ns/mnt}) would choose the code that runs.
 * So each of those files must be, inside, the very file of this JVM (the same device and inode), unless the user
 * said, for that join, that they trust what the namespace holds.
 */
final class JoinedFilesCheck {

    private JoinedFilesCheck() {
    }

    /** Throws naming the first file that differs; returns at once without a mount-namespace join or with trust. */
    static void verify(NamespaceRequest request, Map<NamespaceType, NamespaceFile> joins,
            List<String> command) {
        if (!request.joins().containsKey(NamespaceType.MNT) || request.trustsJoinedFiles()) {
            return;
        }
        List<String> paths = new ArrayList<>();
        List<Found> outside = new ArrayList<>();
        for (String path : ChildJvmFiles.of(command)) {
            Found here = FilesInside.here(path);
            if (here.exists()) { // a missing classpath entry is skipped by the JVM, here and there alike
                paths.add(path);
                outside.add(here);
            }
        }
        List<Found> inside;
        try {
            inside = FilesInside.inside(joins, paths);
        } catch (SpawnException e) {
            throw new ChildJvmException("cannot compare the child JVM's files inside the mount namespace "
                    + request.joins().get(NamespaceType.MNT) + " joined by " + request.declaredOn() + " with this "
                    + "JVM's: " + e.getMessage());
        }
        for (int i = 0; i < paths.size(); i++) {
            if (!outside.get(i).identity().equals(inside.get(i).identity())) {
                throw new ExtensionConfigurationException(differs(request, paths.get(i), outside.get(i),
                        inside.get(i)));
            }
        }
    }

    private static String differs(NamespaceRequest request, String path, Found outside, Found inside) {
        return "@JoinNamespace(type = MNT, path = \"" + request.joins().get(NamespaceType.MNT) + "\") on "
                + request.declaredOn() + ": the child JVM would run files of that mount namespace that are not this "
                + "JVM's. The first: " + path + " is " + (inside.exists() ? inside : "missing (" + inside + ")")
                + " there, and " + outside + " here. A child that joins a mount namespace executes java, loads the "
                + "JDK's and the system's libraries and reads the classpath from that namespace's files, with this "
                + "JVM's privileges: whoever can write them there would choose the code that runs as you. Make them "
                + "the same files inside (join a mount namespace made from this one, or bind-mount the JDK, the "
                + "libraries and the build's directories into it), or, if you trust everyone who can write that "
                + "namespace's files, set trustFiles = true on this @JoinNamespace.";
    }
}
