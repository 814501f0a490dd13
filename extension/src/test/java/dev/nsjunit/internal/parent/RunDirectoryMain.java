package dev.nsjunit.internal.parent;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For a JVM started in another pid namespace: makes a run directory in the directory given, and a directory named
 * as if left by a process of this pid namespace that is gone, sweeps, and prints the run directory's name and
 * whether the other one is still there.
 */
public final class RunDirectoryMain {

    private RunDirectoryMain() {
    }

    public static void main(String[] args) throws Exception {
        Path parent = Path.of(args[0]);
        Path made = SharedRunDirectories.create(parent);
        Path gone = Files.createDirectory(parent.resolve("nsjunit-shared-999999-1-"
                + Namespaces.current().inode(NamespaceType.PID) + "-1"));
        SharedRunDirectories.sweep(parent);
        System.out.println(made.getFileName());
        System.out.println(Files.isDirectory(gone) ? "left alone" : "swept");
    }
}
