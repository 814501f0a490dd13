package dev.nsjunit;

import static dev.nsjunit.NamespaceType.IPC;
import static dev.nsjunit.NamespaceType.NET;
import static dev.nsjunit.NamespaceType.PID;
import static dev.nsjunit.NamespaceType.TIME;
import static dev.nsjunit.NamespaceType.UTS;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** NamespaceAssert on made-up snapshots: which relations pass, and the exact failure tables. */
class NamespaceAssertTests {

    /** pid 42 and pid 43: different uts and pid namespaces, the same ipc and net. */
    static final Namespaces CHILD = Namespaces.fromInodes(42, Map.of(IPC, 100L, NET, 200L, PID, 301L, UTS, 401L));
    static final Namespaces HOST = Namespaces.fromInodes(43, Map.of(IPC, 100L, NET, 200L, PID, 300L, UTS, 400L));

    static NamespaceAssert assertThat(Namespaces actual) {
        return NamespaceAssertions.assertThat(actual);
    }

    static AssertionError failure(ThrowingCallable assertion) {
        Throwable thrown = catchThrowable(assertion);
        org.assertj.core.api.Assertions.assertThat(thrown).as("the assertion's failure")
                .isExactlyInstanceOf(AssertionError.class);
        return (AssertionError) thrown;
    }

    static void assertFailsWith(ThrowingCallable assertion, String... lines) {
        org.assertj.core.api.Assertions.assertThat(failure(assertion))
                .hasMessage(String.format("%n%s", String.join(String.format("%n"), lines)));
    }

    @Nested
    @DisplayName("differsFrom(other)")
    class DiffersFrom {

        @Test
        @DisplayName(".in passes when at least the listed types differ, whatever the others are")
        void inPasses() {
            assertThatCode(() -> assertThat(CHILD).differsFrom(HOST).in(UTS, PID).differsFrom(HOST).in(UTS))
                    .doesNotThrowAnyException();
        }

        @Test
        @DisplayName(".in fails on a listed type both share, with a table of the listed types")
        void inFails() {
            assertFailsWith(() -> assertThat(CHILD).differsFrom(HOST).in(UTS, NET),
                    "Expecting the namespaces of pid 42 (actual)",
                    "to differ from those of pid 43 (other) in: net, uts",
                    "but it does not hold for: net",
                    "",
                    "  type    expected  actual inode  other inode",
                    "  net     differs   200           200           <-- wrong",
                    "  uts     differs   401           400");
        }

        @Test
        @DisplayName(".onlyIn passes when exactly the listed types differ")
        void onlyInPasses() {
            assertThatCode(() -> assertThat(CHILD).differsFrom(HOST).onlyIn(PID, UTS)).doesNotThrowAnyException();
        }

        @Test
        @DisplayName(".onlyIn fails on an unlisted type that differs too, with a row for every type")
        void onlyInFails() {
            assertFailsWith(() -> assertThat(CHILD).differsFrom(HOST).onlyIn(UTS),
                    "Expecting the namespaces of pid 42 (actual)",
                    "to differ from those of pid 43 (other) in exactly: uts, and to share every other type",
                    "but it does not hold for: pid",
                    "",
                    "  type    expected  actual inode  other inode",
                    "  ipc     shares    100           100",
                    "  net     shares    200           200",
                    "  pid     shares    301           300           <-- wrong",
                    "  uts     differs   401           400");
        }
    }

    @Nested
    @DisplayName("sharesWith(other)")
    class SharesWith {

        @Test
        @DisplayName(".in passes when at least the listed types are the same")
        void inPasses() {
            assertThatCode(() -> assertThat(CHILD).sharesWith(HOST).in(NET).sharesWith(CHILD).in(PID, UTS))
                    .doesNotThrowAnyException();
        }

        @Test
        @DisplayName(".in fails on a listed type that differs")
        void inFails() {
            assertFailsWith(() -> assertThat(CHILD).sharesWith(HOST).in(NET, UTS),
                    "Expecting the namespaces of pid 42 (actual)",
                    "to share those of pid 43 (other) in: net, uts",
                    "but it does not hold for: uts",
                    "",
                    "  type    expected  actual inode  other inode",
                    "  net     shares    200           200",
                    "  uts     shares    401           400           <-- wrong");
        }

        @Test
        @DisplayName(".onlyIn passes when exactly the listed types are the same")
        void onlyInPasses() {
            assertThatCode(() -> assertThat(CHILD).sharesWith(HOST).onlyIn(IPC, NET)).doesNotThrowAnyException();
        }

        @Test
        @DisplayName(".onlyIn fails on an unlisted type that is the same too")
        void onlyInFails() {
            assertFailsWith(() -> assertThat(CHILD).sharesWith(HOST).onlyIn(NET),
                    "Expecting the namespaces of pid 42 (actual)",
                    "to share those of pid 43 (other) in exactly: net, and to differ in every other type",
                    "but it does not hold for: ipc",
                    "",
                    "  type    expected  actual inode  other inode",
                    "  ipc     differs   100           100           <-- wrong",
                    "  net     shares    200           200",
                    "  pid     differs   301           300",
                    "  uts     differs   401           400");
        }
    }

    @Test
    @DisplayName("a listed type that either snapshot lacks fails, shown as '-', whichever relation was asked for")
    void typeTheKernelLacks() {
        Namespaces oldKernel = Namespaces.fromInodes(7, Map.of(NET, 200L, UTS, 400L));
        Namespaces withTime = Namespaces.fromInodes(8, Map.of(NET, 200L, TIME, 500L, UTS, 401L));

        assertFailsWith(() -> assertThat(oldKernel).differsFrom(withTime).in(TIME),
                "Expecting the namespaces of pid 7 (actual)",
                "to differ from those of pid 8 (other) in: time",
                "but it does not hold for: time",
                "(- : that snapshot has no namespace of the type; its kernel predates it)",
                "",
                "  type    expected  actual inode  other inode",
                "  time    differs   -             500           <-- wrong");
        // onlyIn judges the unlisted types only where both snapshots have them: time is not a row here.
        assertThatCode(() -> assertThat(withTime).differsFrom(oldKernel).onlyIn(UTS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> assertThat(withTime).sharesWith(oldKernel).in(NET, TIME))
                .hasMessageContaining("  time    shares    500           -             <-- wrong");
    }

    @Test
    @DisplayName("as(...) prefixes the failure the AssertJ way and withFailMessage(...) replaces it")
    void descriptionAndOverridingMessage() {
        org.assertj.core.api.Assertions.assertThat(failure(() -> assertThat(CHILD).as("the sandbox")
                .differsFrom(HOST).in(NET)))
                .hasMessageStartingWith(String.format("[the sandbox] %nExpecting the namespaces of pid 42"));
        org.assertj.core.api.Assertions.assertThat(failure(() -> assertThat(CHILD).withFailMessage("not isolated")
                .differsFrom(HOST).in(NET))).hasMessage("not isolated");
    }

    @Test
    @DisplayName("a null actual fails as AssertJ's isNotNull does, before the other argument is looked at")
    void nullActual() {
        assertFailsWith(() -> assertThat(null).differsFrom(HOST), "Expecting actual not to be null");
        assertFailsWith(() -> assertThat(null).isIsolatedFromParentIn(UTS), "Expecting actual not to be null");
    }

    @Test
    @DisplayName("a null other, a null or empty list of types, or a null type is a usage error naming the method")
    void misuse() {
        assertThatIllegalArgumentException().isThrownBy(() -> assertThat(CHILD).differsFrom(null))
                .withMessage("differsFrom(other): the other Namespaces must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> assertThat(CHILD).sharesWith(null))
                .withMessage("sharesWith(other): the other Namespaces must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> assertThat(CHILD).differsFrom(HOST).in())
                .withMessage("differsFrom(other).in(...) needs at least one NamespaceType, e.g. (UTS, PID)");
        assertThatIllegalArgumentException().isThrownBy(() -> assertThat(CHILD).sharesWith(HOST).onlyIn())
                .withMessage("sharesWith(other).onlyIn(...) needs at least one NamespaceType, e.g. (UTS, PID)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> assertThat(CHILD).isIsolatedFromParentIn((NamespaceType[]) null))
                .withMessage("isIsolatedFromParentIn(...) needs at least one NamespaceType, e.g. (UTS, PID)");
        assertThatIllegalArgumentException().isThrownBy(() -> assertThat(CHILD).differsFrom(HOST).onlyIn(UTS, null))
                .withMessage("differsFrom(other).onlyIn(...): a NamespaceType is null");
    }
    @Nested
    @DisplayName("isIsolatedFromParentIn(...) outside an nsjunit child, by PPid")
    class ParentByPpid {

        @Test
        @DisplayName("passes for a process that unshared its uts namespace; fails naming us as its parent for net")
        void processThatUnsharedUts() throws Exception {
            Process unshared = new ProcessBuilder("unshare", "--uts", "sleep", "60").start();
            try {
                // Until the exec, the process is still unshare, maybe not yet in its new namespace.
                Path comm = Path.of("/proc", Long.toString(unshared.pid()), "comm");
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(comm).trim().equals("sleep"));
                Namespaces sleeper = Namespaces.of(unshared.pid());

                assertThat(sleeper).isIsolatedFromParentIn(UTS);
                org.assertj.core.api.Assertions.assertThat(failure(() ->
                        assertThat(sleeper).isIsolatedFromParentIn(UTS, NET))).hasMessageContainingAll(
                                "Expecting the namespaces of pid " + unshared.pid() + " (actual)",
                                "to differ from those of its parent process, pid " + ProcessHandle.current().pid()
                                        + " (parent) in: net, uts",
                                "but it does not hold for: net",
                                "  type    expected  actual inode  parent inode",
                                "  net     differs   " + sleeper.inode(NET));
            } finally {
                unshared.destroyForcibly();
                unshared.waitFor();
            }
        }

        @Test
        @DisplayName("fails for this JVM, which shares every namespace with the process that started it")
        void thisJvm() {
            long ppid = ProcessHandle.current().parent().orElseThrow().pid();

            org.assertj.core.api.Assertions.assertThat(failure(() ->
                    assertThat(Namespaces.current()).isIsolatedFromParentIn(UTS))).hasMessageContaining(
                            "to differ from those of its parent process, pid " + ppid + " (parent) in: uts");
        }

        @Test
        @DisplayName("refuses a process without a visible parent (PPid 0) and one whose status cannot be read")
        void noParent() {
            // Pid 1 of the pid namespace /proc belongs to; only its status is read.
            Namespaces init = Namespaces.fromInodes(1, Map.of(UTS, 1L));
            assertThatIllegalStateException().isThrownBy(() -> assertThat(init).isIsolatedFromParentIn(UTS))
                    .withMessage("pid 1 has no parent it can see (PPid 0 in /proc/1/status): it is the first process"
                            + " of its pid namespace, or the kernel's own; compare it with a snapshot of the intended"
                            + " process using differsFrom(...) instead");
            Namespaces gone = Namespaces.fromInodes(Integer.MAX_VALUE, Map.of(UTS, 1L));
            assertThatIllegalStateException().isThrownBy(() -> assertThat(gone).isIsolatedFromParentIn(UTS))
                    .withMessageStartingWith("cannot find the parent of pid 2147483647: reading "
                            + "/proc/2147483647/status failed (java.nio.file.NoSuchFileException");
        }
    }
}
