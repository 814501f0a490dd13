package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamespaceTypeTests {

    @ParameterizedTest(name = "{0}: {1} = {2}, /proc/<pid>/ns/{3}, Linux {4}")
    @CsvSource({
        "CGROUP, CLONE_NEWCGROUP, 0x02000000, cgroup, 4.6",
        "IPC,    CLONE_NEWIPC,    0x08000000, ipc,    2.6.19",
        "MNT,    CLONE_NEWNS,     0x00020000, mnt,    2.4.19",
        "NET,    CLONE_NEWNET,    0x40000000, net,    2.6.29",
        "PID,    CLONE_NEWPID,    0x20000000, pid,    2.6.24",
        "TIME,   CLONE_NEWTIME,   0x00000080, time,   5.6",
        "USER,   CLONE_NEWUSER,   0x10000000, user,   3.8",
        "UTS,    CLONE_NEWUTS,    0x04000000, uts,    2.6.19"})
    @DisplayName("each type knows its clone flag (as in <sched.h>), its /proc file and its first kernel")
    void knowsItsKernelFacts(NamespaceType type, String flagName, String flag, String procName, String kernel) {
        assertThat(type.cloneFlagName()).isEqualTo(flagName);
        assertThat(type.cloneFlag()).isEqualTo(Integer.decode(flag));
        assertThat(type.procName()).isEqualTo(procName);
        assertThat(type.sinceKernel()).isEqualTo(kernel);
        assertThat(NamespaceType.ofProcName(procName)).isSameAs(type);
        assertThat(type).hasToString(procName);
    }

    @Test
    @DisplayName("an unknown /proc file name is refused with the names that exist")
    void unknownProcName() {
        assertThatThrownBy(() -> NamespaceType.ofProcName("pid_for_children"))
                .hasMessage("not a namespace file name: 'pid_for_children'; expected one of cgroup, ipc, mnt, net, "
                        + "pid, time, user, uts");
    }
}
