package dev.nsjunit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@link Namespaces#keepAlive} from a plain {@code main}, as seed 002's shell session does it: keeps the namespace
 * of {@code args[0]} (a pid) of type {@code args[1]} at {@code args[2]}, prints its inode, and releases it when a
 * line arrives on stdin.
 */
public final class KeepAliveMain {

    private KeepAliveMain() {
    }

    public static void main(String[] args) throws Exception {
        NamespaceType type = NamespaceType.ofProcName(args[1]);
        try (NamespaceHandle handle = Namespaces.keepAlive(Long.parseLong(args[0]), type, Path.of(args[2]))) {
            System.out.println("kept " + handle.inode());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.out.println("released");
    }
}
