package dev.nsjunit.internal.parent;

import dev.nsjunit.NamespaceHandle;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.spawn.NamespaceFile;
import dev.nsjunit.internal.spawn.SpawnPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The namespaces that tests share by {@code @InNamespace(shared = ...)} key, for one run of the Jupiter engine:
 * created by the first test of a key (in its child), kept alive after that child is gone, joined by every later
 * test of the key, and released when the engine's root store is closed at the end of the test plan (or, if the JVM
 * is stopped before, by a shutdown hook).
 *
 * <p>A namespace lives as long as a process is in it, or its {@code /proc/<pid>/ns/<type>} file is open or
 * bind-mounted. Both are used: an open descriptor always, and where the test JVM may mount (root), a bind mount
 * under a run directory, which is also what later children join through and what a person can {@code nsenter}.
 * Bind mounts outlive a test JVM killed with SIGKILL: the next one to make a run directory sweeps such leftovers
 * ({@link SharedRunDirectories}).
 */
final class SharedNamespaces implements AutoCloseable {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(SharedNamespaces.class);

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Thread shutdownHook = new Thread(this::releaseAll, "nsjunit-shared-namespaces");
    private Path directory;

    static SharedNamespaces of(ExtensionContext context) {
        return context.getRoot().getStore(STORE).getOrComputeIfAbsent(SharedNamespaces.class,
                key -> new SharedNamespaces(), SharedNamespaces.class);
    }

    /** One key: its declaration, and once made, its kept namespaces. */
    private static final class Entry {
        final String key;
        final Set<NamespaceType> types;
        final String declaredOn;
        final Semaphore creation = new Semaphore(1);
        volatile Kept kept;

        Entry(String key, Set<NamespaceType> types, String declaredOn) {
            this.key = key;
            this.types = types;
            this.declaredOn = declaredOn;
        }
    }

    /** What keeps one key's namespaces alive. */
    private record Kept(Path directory, Map<NamespaceType, NamespaceFile> held,
            Map<NamespaceType, NamespaceHandle> mounts, Map<NamespaceType, Long> inodes) {
    }

    /**
     * The test's part in its key's namespaces: to create them (the first test, or the next after a first one failed
     * before they were kept), or to join them. Blocks while another test is creating them.
     */
    Lease lease(NamespaceRequest request) throws InterruptedException {
        Entry entry = entries.computeIfAbsent(request.shared(),
                key -> new Entry(key, request.types(), request.declaredOn()));
        if (!entry.types.equals(request.types())) {
            throw new ExtensionConfigurationException("@InNamespace(shared = \"" + request.shared() + "\") asks for "
                    + request.types() + " namespaces on " + request.declaredOn() + ", but for " + entry.types
                    + " on " + entry.declaredOn + ". Tests that share a key share all of its namespaces, so they "
                    + "must request the same types: align the two, or use two keys.");
        }
        if (entry.kept == null) {
            entry.creation.acquire();
            if (entry.kept == null) {
                return new Lease(entry, true);
            }
            entry.creation.release();
        }
        return new Lease(entry, false);
    }

    /** One test's use of a key: see {@link #lease}. Close it when the test's child has ended. */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private final boolean creating;
        private final List<NamespaceFile> opened = new ArrayList<>();

        private Lease(Entry entry, boolean creating) {
            this.entry = entry;
            this.creating = creating;
        }

        /** The types to create new: all of the key's for its creator, none for the others. */
        Set<NamespaceType> newTypes() {
            return creating ? entry.types : Set.of();
        }

        /** The namespaces to join, opened through their bind mounts where there are some. */
        Map<NamespaceType, NamespaceFile> joins() {
            Map<NamespaceType, NamespaceFile> joins = new EnumMap<>(NamespaceType.class);
            if (creating) {
                return joins;
            }
            Kept kept = entry.kept;
            for (NamespaceType type : entry.types) {
                NamespaceHandle mount = kept.mounts().get(type);
                if (mount != null) {
                    NamespaceFile file = NamespaceFile.open(mount.path(), type);
                    opened.add(file);
                    joins.put(type, file);
                } else {
                    joins.put(type, kept.held().get(type));
                }
            }
            return joins;
        }

        /** Called by the creator once its child passed the checks: keeps the child's namespaces for the others. */
        void established(long pid) {
            if (creating && entry.kept == null) {
                entry.kept = keep(entry, pid);
            }
        }

        /** For the report: what this test did with the key's namespaces, and where they are kept. */
        String describe() {
            Kept kept = entry.kept;
            String where = kept == null ? "" : kept.mounts().isEmpty()
                    ? " (held open by the test JVM; no bind mount without CAP_SYS_ADMIN)"
                    : " (bind-mounted in " + kept.directory() + ")";
            return "shared = \"" + entry.key + "\": " + (creating ? "created " : "joined ") + entry.types + where;
        }

        @Override
        public void close() {
            opened.forEach(NamespaceFile::close);
            if (creating) {
                entry.creation.release();
            }
        }
    }

    private synchronized Kept keep(Entry entry, long pid) {
        Map<NamespaceType, NamespaceFile> held = new EnumMap<>(NamespaceType.class);
        Map<NamespaceType, NamespaceHandle> mounts = new EnumMap<>(NamespaceType.class);
        Map<NamespaceType, Long> inodes = new EnumMap<>(NamespaceType.class);
        Path keyDirectory = null;
        try {
            for (NamespaceType type : entry.types) {
                NamespaceFile file = NamespaceFile.open(Paths.get("/proc", Long.toString(pid), "ns", type.procName()),
                        type);
                held.put(type, file);
                inodes.put(type, file.inode());
            }
            if (SpawnPlatform.hasSysAdmin()) {
                keyDirectory = Files.createDirectory(runDirectory().resolve(entry.key));
                for (NamespaceType type : entry.types) {
                    mounts.put(type, Namespaces.keepAlive(pid, type, keyDirectory.resolve(type.procName())));
                }
            }
            return new Kept(keyDirectory, held, mounts, inodes);
        } catch (IOException | RuntimeException e) {
            release(new Kept(keyDirectory, held, mounts, inodes), new ArrayList<>());
            throw e instanceof IOException io ? new UncheckedIOException("cannot keep the namespaces of shared = \""
                    + entry.key + "\": " + io, io) : (RuntimeException) e;
        }
    }

    private Path runDirectory() throws IOException {
        if (directory == null) {
            // A test JVM killed with SIGKILL left its bind mounts, and with them its namespaces: swept first.
            List<String> problems = SharedRunDirectories.sweep(SharedRunDirectories.temporaryDirectory());
            if (!problems.isEmpty()) {
                System.err.println("nsjunit: could not remove every leftover of shared namespaces from test JVMs that "
                        + "are gone:\n  " + String.join("\n  ", problems));
            }
            directory = SharedRunDirectories.create(SharedRunDirectories.temporaryDirectory());
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return directory;
    }

    /** Releases every key's namespaces and removes the run directory; reports what could not be released. */
    @Override
    public void close() {
        List<String> problems = releaseAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Shutting down already, or the hook was never added.
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("nsjunit could not release every shared namespace:\n  "
                    + String.join("\n  ", problems));
        }
    }

    private synchronized List<String> releaseAll() {
        List<String> problems = new ArrayList<>();
        for (Entry entry : entries.values()) {
            Kept kept = entry.kept;
            entry.kept = null;
            if (kept != null) {
                release(kept, problems);
            }
        }
        entries.clear();
        if (directory != null) {
            try {
                Files.deleteIfExists(directory);
                directory = null;
            } catch (IOException e) {
                problems.add("cannot remove " + directory + ": " + e);
            }
        }
        return problems;
    }

    private static void release(Kept kept, List<String> problems) {
        for (NamespaceHandle mount : kept.mounts().values()) {
            try {
                mount.close();
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        kept.held().values().forEach(NamespaceFile::close);
        if (kept.directory() != null) {
            try {
                Files.deleteIfExists(kept.directory());
            } catch (IOException e) {
                problems.add("cannot remove " + kept.directory() + ": " + e);
            }
        }
    }
}
