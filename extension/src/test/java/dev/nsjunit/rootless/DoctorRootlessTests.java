package dev.nsjunit.rootless;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.internal.doctor.DoctorReport;
import dev.nsjunit.internal.libc.LibC;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The doctor as an unprivileged user, run by {@code ci/rootless}: nothing but user works as is, all with user. */
@Tag("rootless")
class DoctorRootlessTests {

    @Test
    @DisplayName("unprivileged, every type but user is refused with EPERM as it is, and works with user = true")
    void everyTypeWorksWithUser() {
        assertThat(LibC.INSTANCE.getuid()).as("uid: run this through ci/rootless").isNotZero();

        DoctorReport report = DoctorReport.examine();
        String output = report.render();

        assertThat(report.exitCode()).as(output).isZero();
        assertThat(typeTable(output)).containsExactly(
                "cgroup     no (EPERM) [1]        yes",
                "ipc        no (EPERM) [2]        yes",
                "mnt        no (EPERM) [3]        yes",
                "net        no (EPERM) [4]        yes",
                "pid        no (EPERM) [5]        yes",
                "time       no (EPERM) [6]        yes",
                "user       yes                   (the same)",
                "uts        no (EPERM) [7]        yes");
        assertThat(output).contains("[1] cgroup as this user: clone(CLONE_NEWCGROUP) failed: EPERM (1) — uid "
                + LibC.INSTANCE.getuid() + " lacks CAP_SYS_ADMIN").contains("Add user = true to @InNamespace");
    }

    private static List<String> typeTable(String output) {
        List<String> lines = output.lines().toList();
        int heading = lines.indexOf("namespace  as this user          with user = true");
        List<String> table = new ArrayList<>();
        for (int i = heading + 1; heading >= 0 && i < lines.size() && !lines.get(i).isBlank(); i++) {
            table.add(lines.get(i));
        }
        return table;
    }
}
