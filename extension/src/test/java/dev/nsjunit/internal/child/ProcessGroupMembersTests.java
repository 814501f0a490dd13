package dev.nsjunit.internal.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessGroupMembersTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("the group is the fifth field of stat, counted from the last ')' of a name that holds ') ' itself")
    void groupIsReadAfterTheName() throws Exception {
        Path process = Files.createDirectories(temp.resolve("4711"));
        Files.writeString(process.resolve("stat"), "4711 (a) S 1 2 (b) R 17 4242 4242 0 -1 4194560 99 0 0\n");

        assertThat(ProcessGroupMembers.groupOf(process)).isEqualTo(4242);
    }

    @Test
    @DisplayName("a process that is gone, or a stat without the field, gives no group")
    void noGroupWithoutAStat() throws Exception {
        Path broken = Files.createDirectories(temp.resolve("4712"));
        Files.writeString(broken.resolve("stat"), "4712 (cut short) S 1");

        assertThat(ProcessGroupMembers.groupOf(temp.resolve("4713"))).isEqualTo(-1);
        assertThat(ProcessGroupMembers.groupOf(broken)).isEqualTo(-1);
    }

    @Test
    @DisplayName("the members are the processes of this JVM's group, itself left out, and no one else's")
    void findsTheGroupsOtherProcesses() throws Exception {
        Process member = new ProcessBuilder("sleep", "30").start();
        Process stranger = new ProcessBuilder("setsid", "sleep", "30").start();
        try {
            // setsid execs sleep once it has its own group; until then it is still a member.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> ProcessGroupMembers.groupOf(Path.of("/proc/" + stranger.pid())) == stranger.pid());

            List<Long> pids = ProcessGroupMembers.others().stream().map(m -> (long) m.pid()).toList();

            assertThat(pids).contains(member.pid()).doesNotContain(stranger.pid(), ProcessHandle.current().pid());
        } finally {
            member.destroyForcibly().waitFor();
            stranger.destroyForcibly().waitFor();
        }
    }
}
