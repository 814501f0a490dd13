package dev.nsjunit.internal.parent;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.child.ChildBooter;
import dev.nsjunit.internal.spawn.ChildProcess;
import dev.nsjunit.internal.spawn.SpawnException;
import dev.nsjunit.internal.spawn.Spawner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Child JVMs started ahead of their tests, and child JVMs on their way out, for one launcher session.
 *
 * <p>When a test takes its child, the next one for the same request (namespace types and command line) is
 * spawned in the background: in its own new namespaces, its JVM booted up to where it waits for a test. Each is
 * used once. At most the request's {@code nsjunit.child.prespawn} wait at a time; a request that finds them all
 * waiting for other requests retires the oldest of those. When the launcher session ends the waiting ones are
 * killed, and the ones still exiting are awaited, so no child outlives the run. If the JVM is stopped before, a
 * shutdown hook does the same, and if it is killed, the parent-death signal of the spawning thread ends them.
 *
 * <p>The session, not the test plan: Surefire with more than one fork, {@code forkCount=2} say, runs each test
 * class as a test plan of its own in one session. Children ended with each plan were never used: every class's
 * first test waited for a child of its own, and the one started ahead for the next test was killed unused.
 *
 * <p>All of them are cloned by one long-lived thread: the kernel sends a child its parent-death signal when the
 * <em>thread</em> that cloned it ends, so that thread must outlive them all. No failure ends it, not even an
 * {@link Error}, and {@link #close} ends it only after every child it cloned has been reaped. (From the shutdown
 * hook, a child still running its test is not awaited: the JVM is going down, and the signal is then welcome.)
 */
final class ChildPool implements AutoCloseable {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ChildPool.class);
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    /** What a waiting child was started for; a test may take it only if it asks for exactly this. */
    record Key(Set<NamespaceType> types, List<String> command) {
        // Written out: a record's own equals, hashCode and toString link through invokedynamic (ObjectMethods),
        // which spins dozens of method-handle classes in the test JVM the first time; keys are compared for every
        // isolated test.
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && types.equals(key.types) && command.equals(key.command);
        }

        @Override
        public int hashCode() {
            return 31 * types.hashCode() + command.hashCode();
        }

        @Override
        public String toString() {
            return "Key[types=" + types + ", command=" + command + "]";
        }
    }

    /** A child started ahead, what for, and how many tests had taken children when it was started. */
    private record Waiting(Key key, ChildProcess child, long startedAtTake) {
    }

    /**
     * How many tests of other requests must have come in a row, since a waiting child was started, before it is
     * retired to make room: two requests that alternate (parallel classes with different namespaces) would
     * otherwise retire each other's children and neither would ever take one.
     */
    static final int STALE_AFTER_TAKES = 2;

    /** How many tests go by before starting ahead is tried again for a request for which it failed. */
    static final int RETRY_AFTER_TAKES = 10;

    /** How a child is started ahead for a key: {@link Spawner} in production, something else in tests. */
    interface Spawn {
        ChildProcess start(Key key) throws SpawnException;
    }

    private final Spawn spawn;
    private final ExecutorService spawner = Executors.newSingleThreadExecutor(daemon("nsjunit-prespawn"));
    private final ExecutorService reaper = Executors.newCachedThreadPool(daemon("nsjunit-reaper"));
    /** Oldest first. */
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    /** Requests whose last start ahead failed, with the take it failed at. */
    private final Map<Key, Long> failedAtTake = new HashMap<>();
    private final List<CompletableFuture<Void>> exiting = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::shutDown, "nsjunit-child-pool");
    /** Children being started ahead, not yet waiting. */
    private int starting;
    /** Tests that asked for a child started ahead so far. */
    private long takes;
    private boolean closed;

    ChildPool(Spawn spawn) {
        this.spawn = spawn;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static ChildPool of(ExtensionContext context) {
        return context.getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION, STORE).getOrComputeIfAbsent(
                ChildPool.class, key -> new ChildPool(k -> Spawner.spawn(k.types(), startedAhead(k.command()),
                        System.getenv())), ChildPool.class);
    }

    /**
     * A child started ahead for {@code key}, if one is waiting and alive; starts the next one either way, unless
     * {@code limit} children already wait or start.
     */
    synchronized Optional<ChildProcess> take(Key key, int limit) {
        takes++;
        ChildProcess child = null;
        for (Iterator<Waiting> it = waiting.iterator(); child == null && it.hasNext(); ) {
            Waiting candidate = it.next();
            if (candidate.key().equals(key)) {
                it.remove();
                if (candidate.child().isAlive()) {
                    child = candidate.child();
                } else {
                    discard(candidate.child()); // Died while waiting: reaped, and the next one taken.
                }
            }
        }
        startAhead(key, limit);
        return Optional.ofNullable(child);
    }

    private void startAhead(Key key, int limit) {
        if (closed || failedRecently(key) || waiting.size() + starting >= limit && !makeRoomFor(key)) {
            return;
        }
        starting++;
        long startedAtTake = takes;
        spawner.execute(() -> {
            try {
                startAheadNow(key, startedAtTake);
            } catch (Throwable e) {
                // Nothing may end this thread: the children it cloned would receive their parent-death signal.
            }
        });
    }

    /** On the spawning thread: starts a child for {@code key} and files it as waiting. */
    private void startAheadNow(Key key, long startedAtTake) {
        ChildProcess child = null;
        boolean filed = false;
        try {
            if (!isClosed()) {
                child = spawn.start(key);
            }
        } catch (Throwable e) {
            // A SpawnException, or an Error (a LinkageError from JNA, an OutOfMemoryError) alike: the test that
            // takes no waiting child spawns its own, on its own thread, and reports what goes wrong there.
            synchronized (this) {
                failedAtTake.put(key, takes);
            }
        } finally {
            synchronized (this) {
                starting--;
                if (child != null && !closed) {
                    filed = waiting.add(new Waiting(key, child, startedAtTake));
                }
            }
            if (child != null && !filed) {
                discard(child); // The pool was closed while it started.
            }
        }
    }

    /**
     * Whether starting ahead for {@code key} failed within the last {@link #RETRY_AFTER_TAKES} tests. A failure may
     * pass (EAGAIN from clone, descriptors or memory short for a moment), and the pool now lives for a whole
     * session, so it is tried again later rather than never.
     */
    private boolean failedRecently(Key key) {
        Long failedAt = failedAtTake.get(key);
        return failedAt != null && takes - failedAt < RETRY_AFTER_TAKES;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * At the limit: retires the oldest child waiting for another request, if {@link #STALE_AFTER_TAKES} tests have
     * passed it by. A run moves from one request to the next (a class, a nested class, a method's own annotation)
     * and seldom goes back, so without this the children left waiting for requests no test makes any more would
     * hold every place.
     */
    private boolean makeRoomFor(Key key) {
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            Waiting oldest = it.next();
            if (!oldest.key().equals(key) && takes - oldest.startedAtTake() >= STALE_AFTER_TAKES) {
                it.remove();
                discard(oldest.child());
                return true;
            }
        }
        return false;
    }

    /** How many children wait for {@code key} now. */
    synchronized long waitingFor(Key key) {
        return waiting.stream().filter(w -> w.key().equals(key)).count();
    }

    /** The child's command with the argument that has it prime JUnit while it waits. */
    static List<String> startedAhead(List<String> command) {
        List<String> marked = new ArrayList<>(command);
        marked.add(ChildBooter.STARTED_AHEAD);
        return marked;
    }

    /**
     * Lets {@code child}, which has reported its outcome, exit in the background: awaits it (killing its process
     * group after it) and closes it. The end of the launcher session waits for it; once the pool is closed, the
     * caller does.
     */
    void retire(ChildProcess child) {
        Runnable exit = () -> {
            try {
                child.awaitExit(EXIT_GRACE);
            } finally {
                child.close();
            }
        };
        synchronized (this) {
            if (!closed) {
                exiting.removeIf(CompletableFuture::isDone);
                exiting.add(CompletableFuture.runAsync(exit, reaper));
                return;
            }
        }
        // Closed (a test that ends after the shutdown hook ran): the reaper may be shut down, and nothing would
        // await it, so the child is reaped here.
        exit.run();
    }

    /** Ends a child that no test took. No pump reads its stdout and stderr, so they are closed here too. */
    private void discard(ChildProcess child) {
        child.killTree();
        child.stdout().close();
        child.stderr().close();
        retire(child);
    }

    /** Kills the waiting children and waits for every child to be gone. */
    @Override
    public void close() {
        shutDown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down; the hook is running or has run.
        }
    }

    private void shutDown() {
        List<ChildProcess> unused = new ArrayList<>();
        List<CompletableFuture<Void>> awaited;
        synchronized (this) {
            closed = true;
            waiting.forEach(w -> unused.add(w.child()));
            waiting.clear();
            awaited = new ArrayList<>(exiting);
        }
        try {
            unused.forEach(child -> endUnused(child, ChildProcess::killTree));
            // Closed: each is reaped right here, SIGKILLed a moment ago.
            unused.forEach(child -> endUnused(child, this::discard));
            CompletableFuture.allOf(awaited.toArray(new CompletableFuture[0]))
                    .get(2 * EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            // The spawning thread ends last, when every child it cloned has been reaped, so that none receives its
            // parent-death signal. A spawn under way finishes first, and its child, seeing closed, is closed.
            spawner.shutdown();
            spawner.awaitTermination(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // A child that would not exit was SIGKILLed by its reaper; nothing more can be done here.
        } finally {
            spawner.shutdown();
            reaper.shutdown();
        }
    }

    /** One child's step of the shutdown; a failure is said and does not keep the others from theirs. */
    private static void endUnused(ChildProcess child, java.util.function.Consumer<ChildProcess> step) {
        try {
            step.accept(child);
        } catch (RuntimeException e) {
            System.err.println("nsjunit: could not end child JVM " + child.pid() + ", started ahead and not used: "
                    + e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
