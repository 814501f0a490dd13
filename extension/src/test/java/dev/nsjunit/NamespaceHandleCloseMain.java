package dev.nsjunit;

import java.nio.file.Path;

/**
 * Closes a {@link NamespaceHandle} for a namespace file mounted by another process: {@code args[0]} the type's
 * /proc name, {@code args[1]} its inode, {@code args[2]} the mount point. Prints "released" or the failure's message.
 */
public final class NamespaceHandleCloseMain {

    private NamespaceHandleCloseMain() {
    }

    public static void main(String[] args) {
        NamespaceHandle handle = new NamespaceHandle(NamespaceType.ofProcName(args[0]), Long.parseLong(args[1]),
                Path.of(args[2]), false);
        try {
            handle.close();
            System.out.println("released");
        } catch (RuntimeException e) {
            System.out.println(e.getMessage());
        }
    }
}
