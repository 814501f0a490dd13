package dev.nsjunit.internal.parent;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.spawn.NamespaceFile;
import dev.nsjunit.internal.spawn.SpawnPlatform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The namespaces one child is to be in, resolved before it is spawned: which types are new, and the open files of
 * those it joins (its {@code @JoinNamespace}s and, for a shared key after its first test, the kept ones). Every
 * problem a user can fix is reported here, before any process starts.
 */
final class ChildNamespaces implements AutoCloseable {

    private final NamespaceRequest request;
    private final SharedNamespaces.Lease lease;
    private final List<NamespaceFile> opened = new ArrayList<>();
    private final Set<NamespaceType> newTypes;
    private final Map<NamespaceType, NamespaceFile> joins = new EnumMap<>(NamespaceType.class);

    private ChildNamespaces(NamespaceRequest request, SharedNamespaces.Lease lease) {
        this.request = request;
        this.lease = lease;
        this.newTypes = lease == null ? request.types() : lease.newTypes();
    }

    static ChildNamespaces open(ExtensionContext context, NamespaceRequest request) {
        SharedNamespaces.Lease lease = null;
        if (!request.shared().isEmpty()) {
            try {
                lease = SharedNamespaces.of(context).lease(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChildJvmException("interrupted while waiting for another test to create the namespaces "
                        + "of shared = \"" + request.shared() + "\"", e);
            }
        }
        ChildNamespaces namespaces = new ChildNamespaces(request, lease);
        try {
            namespaces.openJoins();
            namespaces.checkPrivilege();
        } catch (RuntimeException e) {
            namespaces.close();
            throw e;
        }
        return namespaces;
    }

    private void openJoins() {
        for (Map.Entry<NamespaceType, Path> join : request.joins().entrySet()) {
            try {
                NamespaceFile file = NamespaceFile.open(join.getValue(), join.getKey());
                opened.add(file);
                joins.put(join.getKey(), file);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("@JoinNamespace(type = " + join.getKey().name()
                        + ", path = \"" + join.getValue() + "\") on " + request.declaredOn() + ": " + e.getMessage(),
                        e);
            }
        }
        if (lease != null) {
            joins.putAll(lease.joins());
        }
    }

    /**
     * setns needs CAP_SYS_ADMIN over the namespace joined, which an unprivileged user has only in a user
     * namespace it created, after joining that one; and a pid namespace is joined by the spawning thread of this
     * JVM, which has no capabilities anywhere but in its own user namespace.
     */
    private void checkPrivilege() {
        if (joins.isEmpty() || SpawnPlatform.hasSysAdmin()) {
            return;
        }
        String who = "this test JVM (uid " + LibC.INSTANCE.getuid() + ") lacks CAP_SYS_ADMIN";
        if (joins.containsKey(NamespaceType.PID)) {
            throw new ExtensionConfigurationException(request.declaredOn() + " joins the pid namespace "
                    + joins.get(NamespaceType.PID).path() + ", but " + who + ": a pid namespace is entered by "
                    + "the spawning thread of this JVM, which needs that capability in its own user namespace. "
                    + "Run as root, or give the test a new pid namespace instead.");
        }
        NamespaceFile user = joins.get(NamespaceType.USER);
        if (user == null) {
            throw new ExtensionConfigurationException(request.declaredOn() + " joins " + joins.keySet()
                    + " namespaces, but " + who + ", which setns needs over each of them. Run as root, or, for "
                    + "namespaces made in a user namespace of your own, join that user namespace too.");
        }
        int owner = user.ownerUid();
        if (owner != LibC.INSTANCE.getuid()) {
            throw new ExtensionConfigurationException(request.declaredOn() + " joins the user namespace "
                    + user.path() + " owned by uid " + owner + ", but " + who + ": an unprivileged user may "
                    + "join only user namespaces it created.");
        }
    }

    Set<NamespaceType> newTypes() {
        return newTypes;
    }

    Map<NamespaceType, NamespaceFile> joins() {
        return Collections.unmodifiableMap(joins);
    }

    /** The inodes the child must show for the joined types. */
    Map<NamespaceType, Long> joinedInodes() {
        Map<NamespaceType, Long> inodes = new EnumMap<>(NamespaceType.class);
        joins.forEach((type, file) -> inodes.put(type, file.inode()));
        return inodes;
    }

    /** After the checks passed: a shared key's first child leaves its namespaces to the key's later tests. */
    void established(long pid) {
        if (lease != null) {
            lease.established(pid);
        }
    }

    /** What happened with the shared key, for the report. */
    Optional<String> sharing() {
        return lease == null ? Optional.empty() : Optional.of(lease.describe());
    }

    @Override
    public void close() {
        opened.forEach(NamespaceFile::close);
        if (lease != null) {
            lease.close();
        }
    }
}
