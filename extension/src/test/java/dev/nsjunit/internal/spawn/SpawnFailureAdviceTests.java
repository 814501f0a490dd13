package dev.nsjunit.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.libc.Errno;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The errno-to-advice mapping, including the causes this machine cannot produce. */
class SpawnFailureAdviceTests {

    private static HostFacts facts(int uid, boolean capSysAdmin, String maxUserNs, String debianClone,
            String apparmor) {
        return new HostFacts(uid, capSysAdmin, Optional.ofNullable(maxUserNs), Optional.ofNullable(debianClone),
                Optional.ofNullable(apparmor), "6.18.0");
    }

    @Test
    @DisplayName("EPERM without user names the missing capability and the rootless fix")
    void epermWithoutUser() {
        assertThat(SpawnFailureAdvice.forClone(Errno.EPERM, EnumSet.of(NamespaceType.UTS, NamespaceType.PID),
                facts(1000, false, "15000", null, null)))
                .isEqualTo("clone(CLONE_NEWPID|CLONE_NEWUTS) failed: EPERM (1) — uid 1000 lacks CAP_SYS_ADMIN, "
                        + "which creating pid, uts namespaces needs. Add user = true to @InNamespace to run rootless "
                        + "(a new user namespace grants the capability inside it), or run as root.");
    }

    @Test
    @DisplayName("EPERM with user on Debian's switch names kernel.unprivileged_userns_clone")
    void debianSysctl() {
        assertThat(SpawnFailureAdvice.forClone(Errno.EPERM, EnumSet.of(NamespaceType.USER),
                facts(1000, false, "15000", "0", null)))
                .contains("EPERM (1)").contains("kernel.unprivileged_userns_clone=0")
                .contains("sysctl -w kernel.unprivileged_userns_clone=1");
    }

    @Test
    @DisplayName("EPERM with the capability points at seccomp (Docker's default profile)")
    void seccomp() {
        assertThat(SpawnFailureAdvice.forClone(Errno.EPERM, EnumSet.of(NamespaceType.NET),
                facts(0, true, "15000", null, null)))
                .contains("EPERM (1)").contains("seccomp").contains("--security-opt seccomp=unconfined");
    }

    @Test
    @DisplayName("ENOSPC with user names user.max_user_namespaces and its value")
    void maxUserNamespaces() {
        assertThat(SpawnFailureAdvice.forClone(28, EnumSet.of(NamespaceType.USER, NamespaceType.NET),
                facts(1000, false, "0", null, null)))
                .startsWith("clone(CLONE_NEWNET|CLONE_NEWUSER) failed: ENOSPC (28) — no user namespace may be "
                        + "created: user.max_user_namespaces is 0");
    }

    @Test
    @DisplayName("EINVAL names the kernel and the versions the requested types need")
    void unknownFlag() {
        assertThat(SpawnFailureAdvice.forClone(Errno.EINVAL, EnumSet.of(NamespaceType.CGROUP),
                facts(0, true, null, null, null)))
                .contains("EINVAL (22)").contains("kernel 6.18.0").contains("cgroup needs Linux 4.6");
    }

    @Test
    @DisplayName("a refused uid_map under Ubuntu's AppArmor restriction names the sysctl and the profile fix")
    void apparmor() {
        assertThat(SpawnFailureAdvice.forIdMap("/proc/42/uid_map", "0 1000 1", Errno.EPERM,
                facts(1000, false, "15000", null, "1")))
                .startsWith("writing '0 1000 1' to /proc/42/uid_map failed: EPERM (1) — "
                        + "kernel.apparmor_restrict_unprivileged_userns=1")
                .contains("sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
    }

    @Test
    @DisplayName("a refused join names setns, the file, the flag and the errno, and says the program did not start")
    void refusedJoin() {
        assertThat(SpawnFailureAdvice.forJoin(java.nio.file.Path.of("/run/netns/lab"), NamespaceType.NET,
                Errno.EINVAL))
                .isEqualTo("setns(/run/netns/lab, CLONE_NEWNET) failed in the child: EINVAL (22) — the kernel "
                        + "refused to move the child into it; see setns(2) for what EINVAL means for a net "
                        + "namespace. The program was not started.");
    }
}
