package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code java dev.nsjunit.Doctor} as a user runs it: its own JVM, its table, its exit status. */
class DoctorTests {

    @Test
    @DisplayName("as root, every type works both ways, and the doctor exits with 0")
    void asRootEverythingWorks() throws Exception {
        Run run = doctor(List.of());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(typeTable(run.output())).containsExactly(
                "cgroup     yes                   yes",
                "ipc        yes                   yes",
                "mnt        yes                   yes",
                "net        yes                   yes",
                "pid        yes                   yes",
                "time       yes                   yes",
                "user       yes                   (the same)",
                "uts        yes                   yes");
        assertThat(run.output()).contains("doctor: every namespace type works for uid 0 (root) "
                + "(as this user 8 of 8, with user = true 8 of 8)");
    }

    @Test
    @DisplayName("where user.max_user_namespaces is 0, no user namespace can be had, the doctor says why and how to "
            + "fix it, and exits with 1")
    void withoutRoomForUserNamespacesItNamesTheSysctl() throws Exception {
        // Root of a user namespace of its own may set the limit for that namespace: the host keeps its own.
        Run run = doctor(List.of("unshare", "--user", "--map-root-user", "sh", "-c",
                "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$0\" \"$@\""));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(typeTable(run.output())).containsExactly(
                "cgroup     yes                   no (ENOSPC) [1]",
                "ipc        yes                   no (ENOSPC) [2]",
                "mnt        yes                   no (ENOSPC) [3]",
                "net        yes                   no (ENOSPC) [4]",
                "pid        yes                   no (ENOSPC) [5]",
                "time       yes                   no (ENOSPC) [6]",
                "user       no (ENOSPC) [7]       (the same)",
                "uts        yes                   no (ENOSPC) [8]");
        assertThat(run.output())
                .contains("  NO      user.max_user_namespaces                                        0\n")
                .contains("[7] user as this user: clone(CLONE_NEWUSER) failed: ENOSPC (28) — no user namespace "
                        + "may be created: user.max_user_namespaces is 0")
                .contains("[9] user.max_user_namespaces: no user namespace may be created: user.max_user_namespaces "
                        + "is 0 (0 turns user namespaces off; it is also the limit per user, and nesting stops at 32 "
                        + "levels). Raise it as root with 'sysctl -w user.max_user_namespaces=15000'.")
                .contains("doctor: user cannot be had by uid 0 (root) either way (as this user 7 of 8, with user = "
                        + "true 0 of 8); see what to change");
    }

    /** The lines of the type table, between its heading and the blank line after it. */
    static List<String> typeTable(String output) {
        List<String> lines = output.lines().toList();
        int heading = lines.indexOf("namespace  as this user          with user = true");
        assertThat(heading).as(output).isNotNegative();
        List<String> table = new ArrayList<>();
        for (int i = heading + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            table.add(lines.get(i));
        }
        return table;
    }

    record Run(int exitCode, String output) {
    }

    private static Run doctor(List<String> prefix) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Doctor.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the doctor ended within a minute").isTrue();
        return new Run(process.exitValue(), output);
    }
}
