package dev.nsjunit;

import static dev.nsjunit.FixtureRunner.entriesWithPrefix;
import static dev.nsjunit.FixtureRunner.onlyFailure;
import static dev.nsjunit.FixtureRunner.reportEntries;
import static dev.nsjunit.FixtureRunner.thisPid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.nsjunit.fixtures.ComposedAnnotationTestCase;
import dev.nsjunit.fixtures.InodesTestCase;
import dev.nsjunit.fixtures.LifecycleTestCase;
import dev.nsjunit.fixtures.Marks;
import dev.nsjunit.fixtures.MismatchTestCase;
import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.parent.IsolationFailedException;
import dev.nsjunit.fixtures.MethodLevelTestCase;
import dev.nsjunit.fixtures.NestedTestCase;
import dev.nsjunit.fixtures.UserExtensionsTestCase;
import dev.nsjunit.fixtures.ConfigurationErrorTestCase;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Which code runs where, and in exactly which namespaces. */
class InNamespaceExtensionTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("runs the body and every lifecycle method only in the child, in its namespaces")
    void runsLifecycleOnlyInTheChild() {
        FixtureRunner runner = new FixtureRunner(temp);
        EngineExecutionResults results = runner.run(selectClass(LifecycleTestCase.class));

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(runner.marks()).containsExactly(
                "beforeAll 1 lifecycle", "beforeEach 1 lifecycle", "body 1 lifecycle", "afterEach 1 lifecycle",
                "afterAll 1 lifecycle");
    }

    @Test
    @DisplayName("sends only the annotated method to a child; the class's other tests stay in this JVM")
    void methodLevelAnnotationAffectsOnlyThatTest() {
        FixtureRunner runner = new FixtureRunner(temp);
        EngineExecutionResults results = runner.run(selectClass(MethodLevelTestCase.class));

        results.testEvents().assertStatistics(stats -> stats.succeeded(2));
        List<String> marks = runner.marks();
        assertThat(marks).filteredOn(m -> m.contains("isolated")).hasSize(2)
                .allMatch(m -> m.endsWith(" method") && !m.contains(" " + thisPid() + " "));
        assertThat(marks).filteredOn(m -> m.contains("plain")).hasSize(2)
                .allMatch(m -> m.contains(" " + thisPid() + " ") && !m.endsWith(" method"));
    }

    @Test
    @DisplayName("a @Nested class inherits the enclosing annotation unless it carries its own, which wins whole")
    void nestedClassesInheritOrReplace() {
        FixtureRunner runner = new FixtureRunner(temp);
        EngineExecutionResults results = runner.run(selectClass(NestedTestCase.class));

        results.testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(runner.marks()).anyMatch(m -> m.startsWith("inherits ") && m.endsWith(" outer"))
                .anyMatch(m -> m.startsWith("own ") && m.endsWith(" " + Marks.hostname()));
        assertThat(runner.marks()).noneMatch(m -> m.contains(" " + thisPid() + " "));
    }

    @Test
    @DisplayName("the user's own extensions run in the child too; PER_CLASS and constructor injection work")
    void userExtensionsRunInTheChild() {
        FixtureRunner runner = new FixtureRunner(temp);
        FixtureRunner.assertAllSucceeded(runner.run(selectClass(UserExtensionsTestCase.class)), 1);

        assertThat(runner.marks()).filteredOn(m -> m.endsWith(" extended")).extracting(m -> m.split(" ")[0])
                .containsExactly("declared", "registered", "body:resolved");
    }

    @Test
    @DisplayName("works through a user's own annotation that carries @InNamespace")
    void composedAnnotation() {
        FixtureRunner runner = new FixtureRunner(temp);
        runner.run(selectClass(ComposedAnnotationTestCase.class))
                .testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(runner.marks()).singleElement().asString().startsWith("composed ").endsWith(" composed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"utsAndPid, UTS PID", "ipcNetMntCgroup, IPC NET MNT CGROUP", "time, TIME", "user, USER"})
    @DisplayName("creates exactly the requested namespaces: those inodes differ from ours, all others are equal")
    void createsExactlyTheRequestedNamespaces(String method, String types) {
        Set<NamespaceType> requested = EnumSet.noneOf(NamespaceType.class);
        for (String type : types.split(" ")) {
            requested.add(NamespaceType.valueOf(type));
        }
        EngineExecutionResults results = new FixtureRunner(temp)
                .run(selectMethod(InodesTestCase.class, method, "org.junit.jupiter.api.TestReporter"));

        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
        Map<String, String> childInodes = entriesWithPrefix(results, "inode.");
        Namespaces ours = Namespaces.current();
        for (NamespaceType type : ours.types()) {
            String child = childInodes.get("inode." + type);
            assertThat(child).as("child's %s inode", type).isNotNull();
            if (requested.contains(type)) {
                assertThat(Long.parseLong(child)).as("%s was requested", type).isNotEqualTo(ours.inode(type));
            } else {
                assertThat(Long.parseLong(child)).as("%s was not requested", type).isEqualTo(ours.inode(type));
            }
        }
    }

    @Test
    @DisplayName("publishes both isolation checks and the inodes side by side as a report entry")
    void publishesTheIsolationProof() {
        EngineExecutionResults results = new FixtureRunner(temp)
                .run(selectMethod(InodesTestCase.class, "utsAndPid", "org.junit.jupiter.api.TestReporter"));

        Map<String, String> proof = entriesWithPrefix(results, "nsjunit.");
        assertThat(proof.get("nsjunit.check.inside")).startsWith("passed: the child JVM saw from /proc/self/ns new "
                + "[pid, uts] namespaces");
        assertThat(proof.get("nsjunit.check.outside")).matches("passed: the parent JVM saw the same from "
                + "/proc/\\d+/ns");
        assertThat(proof.get("nsjunit.namespaces"))
                .contains("type    expected  parent inode  child inode   verdict")
                .containsPattern("uts +new +" + Namespaces.current().inode(NamespaceType.UTS) + " +\\d+ +ok")
                .containsPattern("net +shared +(\\d+) +\\1 +ok")
                .doesNotContain("MISMATCH");
        // The proof comes first, before any entry of the test's own.
        assertThat(reportEntries(results).get(0)).containsOnlyKeys("nsjunit.namespaces", "nsjunit.check.inside",
                "nsjunit.check.outside", "nsjunit.setup");
    }

    @Test
    @DisplayName("a child whose namespaces contradict the request refuses to run any user code, naming type and inodes")
    void refusesToRunOnAMismatch() throws Exception {
        FixtureRunner runner = new FixtureRunner(temp);
        AtomicReference<Object> outcome = new AtomicReference<>();
        // Namespaces are per thread: this thread's new UTS namespace is invisible in /proc/self/ns (the main
        // thread's), but the child it spawns inherits it, so the child's uts inode differs from the snapshot.
        Thread spawner = new Thread(() -> {
            try {
                LibC.INSTANCE.unshare(NamespaceType.UTS.cloneFlag());
                outcome.set(runner.run(selectMethod(MismatchTestCase.class, "body")));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        spawner.start();
        spawner.join();

        assertThat(outcome.get()).isInstanceOf(EngineExecutionResults.class);
        Throwable failure = onlyFailure((EngineExecutionResults) outcome.get());
        long parentUts = Namespaces.current().inode(NamespaceType.UTS);
        assertThat(failure).isInstanceOf(IsolationFailedException.class)
                .hasMessageStartingWith("namespace isolation check by the child JVM from inside (/proc/self/ns) "
                        + "failed; no user code was run:\n  uts: the parent's namespace was expected, but parent "
                        + "inode " + parentUts + " and child inode ")
                .hasMessageContaining("uts     shared    " + parentUts);
        assertThat(runner.marks()).isEmpty();
    }

    @Test
    @DisplayName("an @InNamespace that requests nothing is a configuration error, and no code runs")
    void emptyAnnotationIsAConfigurationError() {
        FixtureRunner runner = new FixtureRunner(temp);
        Throwable failure = onlyFailure(runner.run(selectMethod(ConfigurationErrorTestCase.class, "requestsNothing")));

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@InNamespace on method " + ConfigurationErrorTestCase.class.getName()
                        + "#requestsNothing requests no namespace: set at least one of uts, ipc, pid, net, mnt, "
                        + "user, cgroup, time to true, or give a hostname (or remove the annotation to run the "
                        + "test in this JVM).");
        assertThat(runner.marks()).isEmpty();
    }

    @Test
    @DisplayName("two disagreeing @InNamespace on one element (directly and through an own annotation) are an error")
    void conflictingAnnotations() {
        FixtureRunner runner = new FixtureRunner(temp);
        Throwable failure = onlyFailure(runner.run(selectMethod(ConfigurationErrorTestCase.class, "conflicting")));

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("method " + ConfigurationErrorTestCase.class.getName() + "#conflicting "
                        + "carries conflicting @InNamespace declarations: ")
                .hasMessageContaining("net=true").hasMessageContaining(" directly and ")
                .hasMessageContaining("hostname=\"composed\"").hasMessageContaining(" through @InBox")
                .hasMessageEndingWith(". Keep one of them; nsjunit does not merge them.");
        assertThat(runner.marks()).isEmpty();
    }

    @Test
    @DisplayName("where the spawn mechanism cannot work (here: an unknown CPU), the test is aborted with the reason")
    void unsupportedPlatformAborts() {
        FixtureRunner runner = new FixtureRunner(temp);
        String arch = System.getProperty("os.arch");
        EngineExecutionResults results;
        System.setProperty("os.arch", "riscv64");
        try {
            results = runner.run(selectMethod(MismatchTestCase.class, "body"));
        } finally {
            System.setProperty("os.arch", arch);
        }

        results.testEvents().assertStatistics(stats -> stats.aborted(1).failed(0).succeeded(0));
        assertThat(results.testEvents().aborted().list().get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable())
                .get().asString().isEqualTo("org.opentest4j.TestAbortedException: nsjunit cannot create namespaces "
                        + "here: nsjunit knows glibc's ucontext_t layout only on x86-64 and aarch64; this is riscv64");
        assertThat(runner.marks()).isEmpty();
    }

    @Test
    @DisplayName("a host name over 64 bytes is a configuration error, and no code runs")
    void longHostnameIsAConfigurationError() {
        FixtureRunner runner = new FixtureRunner(temp);
        Throwable failure = onlyFailure(runner.run(selectMethod(ConfigurationErrorTestCase.class, "hostnameTooLong")));

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("is 68 bytes long; the kernel accepts at most 64 (HOST_NAME_MAX)");
        assertThat(runner.marks()).isEmpty();
    }

    @Test
    @DisplayName("a bad nsjunit.child.timeout fails with the key and the value")
    void badTimeoutValue() {
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.timeout", "soon");
        Throwable failure = onlyFailure(runner.run(selectClass(ComposedAnnotationTestCase.class)));

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("nsjunit.child.timeout = 'soon' is not a positive duration; write it like 90s, 5m, 1h, "
                        + "500ms or as ISO-8601 (PT90S).");
        assertThat(runner.marks()).isEmpty();
    }
}
