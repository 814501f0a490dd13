package dev.nsjunit.internal.parent;

import java.nio.file.Path;

/** For a JVM started in another mount namespace: sweeps the directory given and prints each problem on a line. */
public final class SweepMain {

    private SweepMain() {
    }

    public static void main(String[] args) {
        SharedRunDirectories.sweep(Path.of(args[0])).forEach(System.out::println);
    }
}
