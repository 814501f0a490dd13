package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.fixtures.Marks;
import dev.nsjunit.fixtures.PlainIsolatedTestCase;
import dev.nsjunit.fixtures.ProcMountTestCase;
import dev.nsjunit.fixtures.TimeOnlyTestCase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusals by the kernel, produced for real: a test JVM without CAP_SYS_ADMIN (EPERM), and one inside a user
 * namespace whose user.max_user_namespaces is 0 (ENOSPC). Even root cannot change the global sysctl here, but a
 * user namespace has its own copy, which limits everything created below it.
 */
class UnavailableNamespacesTests {

    @TempDir
    Path temp;

    private List<String> runFixtureJvm(List<String> prefix, String... configuration)
            throws IOException, InterruptedException {
        return runFixtureJvm(PlainIsolatedTestCase.class, prefix, configuration);
    }

    private List<String> runFixtureJvm(Class<?> fixture, List<String> prefix, String... configuration)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + Marks.FILE_PROPERTY + "=" + temp.resolve("marks.txt"),
                "-cp", System.getProperty("java.class.path"), FixtureMain.class.getName(), fixture.getName()));
        command.addAll(List.of(configuration));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output.lines().filter(l -> l.startsWith("RESULT ")).sorted().collect(Collectors.toList());
    }

    private static final List<String> WITHOUT_CAP_SYS_ADMIN = List.of("setpriv", "--bounding-set", "-sys_admin",
            "--inh-caps", "-sys_admin");

    @Test
    @DisplayName("without CAP_SYS_ADMIN: EPERM with the hint, and user = true still works")
    void epermWithoutCapSysAdmin() throws Exception {
        List<String> results = runFixtureJvm(WITHOUT_CAP_SYS_ADMIN);

        assertThat(results).containsExactly(
                "RESULT userAndNet() SUCCESSFUL ",
                "RESULT uts() FAILED dev.nsjunit.internal.parent.ChildJvmException: cannot start the child JVM for "
                        + "uts() (method " + PlainIsolatedTestCase.class.getName() + "#uts): clone(CLONE_NEWUTS) "
                        + "failed: EPERM (1) — uid 0 lacks CAP_SYS_ADMIN, which creating uts namespaces needs. "
                        + "Add user = true to @InNamespace to run rootless (a new user namespace grants the "
                        + "capability inside it), or give the test JVM CAP_SYS_ADMIN.");
    }

    @Test
    @DisplayName("time = true without CAP_SYS_ADMIN fails before spawning, with the hint, instead of a silent no-op")
    void timeWithoutPrivilege() throws Exception {
        List<String> results = runFixtureJvm(TimeOnlyTestCase.class, WITHOUT_CAP_SYS_ADMIN);

        assertThat(results).singleElement().asString().startsWith("RESULT time() FAILED dev.nsjunit.internal."
                + "parent.ChildJvmException: cannot start the child JVM for time()")
                .contains("unshare(CLONE_NEWTIME) would fail: EPERM (1) — uid 0 lacks CAP_SYS_ADMIN, which creating "
                        + "a time namespace needs. Add user = true")
                .endsWith("or give the test JVM CAP_SYS_ADMIN.");
        assertThat(temp.resolve("marks.txt")).doesNotExist();
    }

    @Test
    @DisplayName("nsjunit.unavailable=abort turns that failure into an aborted test")
    void abortInsteadOfFail() throws Exception {
        List<String> results = runFixtureJvm(WITHOUT_CAP_SYS_ADMIN, "nsjunit.unavailable=abort");

        assertThat(results).hasSize(2);
        assertThat(results.get(1)).startsWith("RESULT uts() ABORTED org.opentest4j.TestAbortedException: cannot "
                + "start the child JVM for uts()").contains("EPERM (1)")
                .endsWith("[aborted, not failed: nsjunit.unavailable = abort]");
    }

    @Test
    @DisplayName("where /proc is partly covered (as in many containers), a user namespace cannot mount its own: EPERM "
            + "with the cause, and no user code runs")
    void procNotMountableInAUserNamespace() throws Exception {
        // The cover is made in a mount namespace of the test JVM's own, so the host's /proc stays as it is.
        List<String> results = runFixtureJvm(ProcMountTestCase.class, List.of("unshare", "--mount", "sh", "-c",
                "mount -t tmpfs nsjunit-cover /proc/sys && exec \"$@\"", "sh"));

        assertThat(results).singleElement().asString()
                .startsWith("RESULT needsItsOwnProc() FAILED dev.nsjunit.internal.parent.IsolationFailedException: "
                        + "mount(\"proc\", \"/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC) failed: EPERM (1) — in a "
                        + "user namespace the kernel allows a new proc mount only where the host's /proc is not partly "
                        + "covered by other mounts");
        assertThat(temp.resolve("marks.txt")).doesNotExist();
    }

    @Test
    @DisplayName("with user.max_user_namespaces at 0: ENOSPC naming the sysctl, and other types still work")
    void enospcWhenUserNamespacesAreOff() throws Exception {
        List<String> results = runFixtureJvm(List.of("unshare", "--user", "--map-root-user", "sh", "-c",
                "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$@\"", "sh"));

        assertThat(results).hasSize(2);
        assertThat(results.get(0)).startsWith("RESULT userAndNet() FAILED dev.nsjunit.internal.parent."
                + "ChildJvmException: cannot start the child JVM for userAndNet()")
                .contains("clone(CLONE_NEWNET|CLONE_NEWUSER) failed: ENOSPC (28) — no user namespace may be "
                        + "created: user.max_user_namespaces is 0");
        assertThat(results.get(1)).isEqualTo("RESULT uts() SUCCESSFUL ");
    }
}
