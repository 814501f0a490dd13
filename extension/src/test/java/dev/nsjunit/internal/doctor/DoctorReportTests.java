package dev.nsjunit.internal.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.NamespaceType;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DoctorReportTests {

    @Test
    @DisplayName("a type that works only with user = true counts as working: exit 0, its refusal listed with its fix")
    void aTypeThatWorksWithUserCounts() {
        DoctorReport report = DoctorReport.examine(types -> types.contains(NamespaceType.USER) ? Optional.empty()
                : Optional.of("clone(" + types + ") failed: EPERM (1) — add user = true"));

        assertThat(report.exitCode()).isZero();
        assertThat(report.render()).contains("cgroup     no (EPERM) [1]        yes\n")
                .contains("user       yes                   (the same)\n")
                .contains("  [1] cgroup as this user: clone([cgroup]) failed: EPERM (1) — add user = true\n")
                .contains("doctor: every namespace type works for");
    }

    @Test
    @DisplayName("a type that works neither way makes the exit status 1, and the summary names it")
    void aTypeThatNeverWorksFails() {
        DoctorReport report = DoctorReport.examine(types -> types.contains(NamespaceType.NET)
                ? Optional.of("no veth today") : Optional.empty());

        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.render()).contains("net        no [1]                no [2]\n")
                .contains("doctor: net cannot be had by");
    }

    @Test
    @DisplayName("every type is tried as it is and with user = true, user itself once")
    void triesEachTypeBothWays() {
        java.util.List<EnumSet<NamespaceType>> tried = new java.util.ArrayList<>();
        DoctorReport.examine(types -> {
            tried.add(EnumSet.copyOf(types));
            return Optional.empty();
        });

        assertThat(tried).hasSize(15).contains(EnumSet.of(NamespaceType.USER), EnumSet.of(NamespaceType.PID),
                EnumSet.of(NamespaceType.PID, NamespaceType.USER));
    }
}
