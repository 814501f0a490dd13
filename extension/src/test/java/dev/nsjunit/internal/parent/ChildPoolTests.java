package dev.nsjunit.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.spawn.ChildProcess;
import dev.nsjunit.internal.spawn.SpawnException;
import dev.nsjunit.internal.spawn.Spawner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pool on its own, with children that are plain {@code sleep} processes cloned by the real spawner on the pool's
 * thread, so that their parent-death signal is the real one.
 */
class ChildPoolTests {

    private static final ChildPool.Key A = key(601);
    private static final ChildPool.Key B = key(602);

    private final Sleeps sleeps = new Sleeps();

    @AfterEach
    void endEverySleep() {
        sleeps.endAll();
    }

    @Test
    @DisplayName("an Error while starting a child ahead neither ends the thread that cloned the running children "
            + "(their parent-death signal) nor keeps its place in the limit")
    void errorWhileStartingAhead() {
        sleeps.failOnCall(A, 2, new NoClassDefFoundError("com/sun/jna/Native (simulated)"));
        try (ChildPool pool = new ChildPool(sleeps)) {
            pool.take(A, 1);
            awaitQuietly().until(() -> pool.waitingFor(A) == 1);
            ChildProcess running = pool.take(A, 1).orElseThrow(); // a test's child now; the next start for A fails
            awaitQuietly().until(() -> sleeps.calls(A) == 2);

            awaitQuietly().alias("the running child stays alive").during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3)).until(running::isAlive);
            pool.take(B, 1);
            awaitQuietly().alias("the failed start gave its place back: a child waits for B")
                    .atMost(Duration.ofSeconds(5)).until(() -> pool.waitingFor(B) == 1);

            running.killTree();
            pool.retire(running);
        }
        assertThat(sleeps.started()).as("children left after close").noneMatch(ChildProcess::isAlive);
    }

    @Test
    @DisplayName("at the limit, a request with no child waiting retires the oldest child waiting for another one, "
            + "once two tests have passed it by")
    void newRequestRetiresTheOldestOtherChild() {
        try (ChildPool pool = new ChildPool(sleeps)) {
            pool.take(A, 1);
            awaitQuietly().until(() -> pool.waitingFor(A) == 1);
            ChildProcess old = sleeps.started().get(0);

            assertThat(pool.take(B, 1)).isEmpty();
            assertThat(pool.waitingFor(A)).as("A's child after one test of B").isOne();
            assertThat(pool.take(B, 1)).isEmpty();

            awaitQuietly().alias("a child waits for B").atMost(Duration.ofSeconds(5))
                    .until(() -> pool.waitingFor(B) == 1);
            assertThat(pool.waitingFor(A)).isZero();
            awaitQuietly().alias("the child that waited for A is gone").until(() -> !old.isAlive());
            ChildProcess taken = pool.take(B, 1).orElseThrow();
            taken.killTree();
            pool.retire(taken);
        }
    }

    @Test
    @DisplayName("two requests that alternate at the limit do not retire each other's children: the first keeps "
            + "its place")
    void alternatingRequestsKeepTheirChild() {
        try (ChildPool pool = new ChildPool(sleeps)) {
            pool.take(A, 1);
            for (int round = 0; round < 3; round++) {
                awaitQuietly().until(() -> pool.waitingFor(A) == 1);
                assertThat(pool.take(B, 1)).isEmpty();
                ChildProcess taken = pool.take(A, 1).orElseThrow(() -> new AssertionError("A lost its child"));
                taken.killTree();
                pool.retire(taken);
            }
            awaitQuietly().until(() -> pool.waitingFor(A) == 1);
            assertThat(sleeps.started()).as("children started: A's first and one for each A taken").hasSize(4);
        }
    }

    @Test
    @DisplayName("a request whose start ahead failed gets none for the next tests, and is tried again after them")
    void failedStartIsTriedAgainLater() {
        sleeps.failOnCall(A, 1, new NoClassDefFoundError("com/sun/jna/Native (simulated)"));
        try (ChildPool pool = new ChildPool(sleeps)) {
            pool.take(A, 1);
            awaitQuietly().until(() -> sleeps.calls(A) == 1);
            for (int take = 1; take < ChildPool.RETRY_AFTER_TAKES; take++) {
                assertThat(pool.take(A, 1)).isEmpty();
            }
            assertThat(sleeps.calls(A)).as("starts tried while the failure was recent").isOne();

            pool.take(A, 1);

            awaitQuietly().alias("a child waits for A again").atMost(Duration.ofSeconds(5))
                    .until(() -> pool.waitingFor(A) == 1);
        }
        assertThat(sleeps.started()).as("children left after close").noneMatch(ChildProcess::isAlive);
    }

    @Test
    @DisplayName("a child retired after the pool closed is reaped at once, and nothing is thrown")
    void retiredAfterClose() throws SpawnException {
        ChildPool pool = new ChildPool(sleeps);
        pool.close();
        ChildProcess child = sleeps.start(key(603)); // as a test's own child, finishing after the shutdown hook ran
        child.killTree();

        pool.retire(child);

        assertThat(Path.of("/proc", Integer.toString(child.pid()))).as("the child, reaped").doesNotExist();
    }

    @Test
    @DisplayName("the children no test took are killed at close, and every descriptor of theirs is closed")
    void unusedChildrenLeaveNoDescriptor() throws IOException {
        List<String> pipes;
        try (ChildPool pool = new ChildPool(sleeps)) {
            pool.take(A, 1);
            awaitQuietly().until(() -> pool.waitingFor(A) == 1);
            pipes = descriptorsOf(sleeps.started().get(0));
            assertThat(openDescriptors()).containsAll(pipes);
        }
        assertThat(sleeps.started()).noneMatch(ChildProcess::isAlive);
        assertThat(openDescriptors()).doesNotContainAnyElementsOf(pipes);
    }

    /** What this JVM's descriptors for {@code child}'s stdout, stderr and channel point at: pipe:[inode] and so on. */
    private static List<String> descriptorsOf(ChildProcess child) throws IOException {
        List<String> targets = new ArrayList<>();
        for (Fd fd : List.of(child.stdout(), child.stderr(), child.channel())) {
            targets.add(Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd.number()))).toString());
        }
        return targets;
    }

    private static List<String> openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    return "";
                }
            }).collect(Collectors.toList());
        }
    }

    /** Awaitility that leaves an Error in the pool's thread to the pool, to see what becomes of its children. */
    private static ConditionFactory awaitQuietly() {
        return await().dontCatchUncaughtExceptions();
    }

    /** A key whose children sleep {@code seconds}: each key's own number, to tell them apart in ps. */
    private static ChildPool.Key key(int seconds) {
        return new ChildPool.Key(Set.of(), List.of("/bin/sleep", Integer.toString(seconds)));
    }

    /** Starts each key's children as {@code sleep} processes, failing on the calls it was told to. */
    private static final class Sleeps implements ChildPool.Spawn {

        private final Map<ChildPool.Key, Integer> calls = new HashMap<>();
        private final Map<String, Throwable> failures = new HashMap<>();
        private final List<ChildProcess> started = new ArrayList<>();

        synchronized void failOnCall(ChildPool.Key key, int call, Throwable failure) {
            failures.put(key + "#" + call, failure);
        }

        @Override
        public ChildProcess start(ChildPool.Key key) throws SpawnException {
            Throwable failure;
            synchronized (this) {
                int call = calls.merge(key, 1, Integer::sum);
                failure = failures.get(key + "#" + call);
            }
            if (failure instanceof Error error) {
                throw error;
            }
            ChildProcess child = Spawner.spawn(key.types(), key.command(), Map.of());
            synchronized (this) {
                started.add(child);
            }
            return child;
        }

        synchronized int calls(ChildPool.Key key) {
            return calls.getOrDefault(key, 0);
        }

        synchronized List<ChildProcess> started() {
            return new ArrayList<>(started);
        }

        synchronized void endAll() {
            for (ChildProcess child : started) {
                child.close();
                child.stdout().close();
                child.stderr().close();
            }
        }
    }
}
