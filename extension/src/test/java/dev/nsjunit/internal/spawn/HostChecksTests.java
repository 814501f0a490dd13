package dev.nsjunit.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.internal.spawn.HostCheck.Verdict;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HostChecksTests {

    @Test
    @DisplayName("close_range refused (a kernel before 5.9, a seccomp rule) is not in the way: the fallback is named")
    void closeRange() {
        assertThat(HostChecks.closeRange(Optional.empty(), "6.1.0"))
                .isEqualTo(HostCheck.ok("close_range(2), to close the child's inherited descriptors",
                        "works (Linux 6.1.0)"));
        assertThat(HostChecks.closeRange(Optional.of(38), "5.4.0").found())
                .isEqualTo("refused (ENOSYS, Linux 5.4.0): the child closes them one by one instead");
        assertThat(InheritedDescriptors.closeRangeRefusal()).isEmpty(); // Linux 5.9+ here, no seccomp
    }

    @Test
    @DisplayName("the sysctls that switch user namespaces off are a NO with the fix the failure messages give")
    void sysctlsThatStandInTheWay() {
        assertThat(HostChecks.maxUserNamespaces(Optional.of("0")))
                .isEqualTo(HostCheck.no("user.max_user_namespaces", "0", SpawnFailureAdvice.maxUserNamespaces("0")));
        assertThat(HostChecks.maxUserNamespaces(Optional.of("15000")).verdict()).isEqualTo(Verdict.OK);
        assertThat(HostChecks.unprivilegedUsernsClone(Optional.of("0")).advice())
                .isEqualTo(SpawnFailureAdvice.unprivilegedUsernsCloneOff());
        assertThat(HostChecks.unprivilegedUsernsClone(Optional.empty()).verdict()).isEqualTo(Verdict.OK);
        HostCheck apparmor = HostChecks.apparmor(Optional.of("1"), Optional.of("1"));
        assertThat(apparmor.verdict()).isEqualTo(Verdict.NO);
        assertThat(apparmor.found()).isEqualTo("1, ..._unconfined 1 (applies to users without CAP_SYS_ADMIN)");
        assertThat(apparmor.advice()).isEqualTo(SpawnFailureAdvice.apparmorRestriction()).contains("Ubuntu 24.04");
    }

    @Test
    @DisplayName("a seccomp filter and a covered /proc are named with their fixes")
    void seccompAndCoveredProc() {
        assertThat(HostChecks.seccomp(Optional.of("0")).verdict()).isEqualTo(Verdict.OK);
        assertThat(HostChecks.seccomp(Optional.of("2")).advice()).contains("seccomp=unconfined");
        assertThat(HostChecks.coveredProc(List.of("/proc/sys/fs/binfmt_misc")).verdict()).isEqualTo(Verdict.OK);
        HostCheck covered = HostChecks.coveredProc(List.of("/proc/kcore", "/proc/acpi", "/proc/scsi", "/proc/keys",
                "/proc/timer_list"));
        assertThat(covered.found()).startsWith("mounts over /proc/kcore, /proc/acpi, /proc/scsi, /proc/keys and 1 more");
        assertThat(covered.advice()).isEqualTo(SpawnFailureAdvice.maskedProc());
    }

    @Test
    @DisplayName("a kernel feature is read from the kernel's configuration: built in, a module, or not set")
    void kernelFeatureFromConfig() {
        Optional<KernelConfig> config = Optional.of(KernelConfig.parse("/boot/config-x",
                "CONFIG_VETH=y\nCONFIG_NET_SCH_TBF=m\n# CONFIG_NET_SCH_NETEM is not set\n"));

        assertThat(HostChecks.kernelFeature("no_such_module", "CONFIG_VETH", "veth", config).found())
                .isEqualTo("CONFIG_VETH=y in /boot/config-x");
        assertThat(HostChecks.kernelFeature("no_such_module", "CONFIG_NET_SCH_TBF", "tbf", config).verdict())
                .isEqualTo(Verdict.OK);
        assertThat(HostChecks.kernelFeature("no_such_module", "CONFIG_NET_SCH_NETEM", "netem", config))
                .isEqualTo(HostCheck.no("netem", "CONFIG_NET_SCH_NETEM not set in /boot/config-x",
                        "use a kernel built with CONFIG_NET_SCH_NETEM (=y or =m)"));
        assertThat(HostChecks.kernelFeature("no_such_module", "CONFIG_VETH", "veth", Optional.empty()).verdict())
                .isEqualTo(Verdict.UNKNOWN);
    }
}
