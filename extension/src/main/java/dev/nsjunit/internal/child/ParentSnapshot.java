package dev.nsjunit.internal.child;

import dev.nsjunit.Namespaces;
import java.util.Optional;

/**
 * The namespaces of the test JVM that started this child, as {@link ChildBooter} received them. The child's own
 * parent process cannot tell them: in a new pid namespace the child is pid 1 and its parent is out of sight.
 */
public final class ParentSnapshot {

    private static volatile Namespaces parent;

    private ParentSnapshot() {
    }

    static void set(Namespaces received) {
        parent = received;
    }

    /** Empty outside an nsjunit child JVM. */
    public static Optional<Namespaces> get() {
        return Optional.ofNullable(parent);
    }
}
