package dev.nsjunit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IsolationCheckTests {

    private static Namespaces snapshot(long pid, long base) {
        Map<NamespaceType, Long> inodes = new EnumMap<>(NamespaceType.class);
        for (NamespaceType type : NamespaceType.values()) {
            inodes.put(type, base + type.ordinal());
        }
        return Namespaces.fromInodes(pid, inodes);
    }

    private static Namespaces with(Namespaces snapshot, NamespaceType type, long inode) {
        Map<NamespaceType, Long> inodes = new EnumMap<>(snapshot.inodes());
        inodes.put(type, inode);
        return Namespaces.fromInodes(snapshot.pid(), inodes);
    }

    @Test
    @DisplayName("passes when exactly the requested types differ")
    void passes() {
        Namespaces parent = snapshot(100, 1000);
        Namespaces child = with(with(parent, NamespaceType.UTS, 5000), NamespaceType.PID, 5001);

        assertThat(IsolationCheck.mismatches(parent, child, EnumSet.of(NamespaceType.UTS, NamespaceType.PID)))
                .isEmpty();
    }

    @Test
    @DisplayName("a requested type left shared and an unrequested type changed are both mismatches, with inodes")
    void reportsBothKindsOfMismatch() {
        Namespaces parent = snapshot(100, 1000);
        Namespaces child = with(parent, NamespaceType.NET, 7000);

        String failure = IsolationCheck.failure("a test", parent, child, EnumSet.of(NamespaceType.UTS));

        assertThat(failure).startsWith("namespace isolation check by a test failed; no user code was run:\n"
                + "  net: the parent's namespace was expected, but parent inode 1003 and child inode 7000 differ\n"
                + "  uts: a new namespace was requested, but parent inode 1007 and child inode 1007 are the same\n")
                .contains("net     shared    1003          7000          MISMATCH")
                .contains("uts     new       1007          1007          MISMATCH")
                .contains("pid     shared    1004          1004          ok");
    }

    @Test
    @DisplayName("a time namespace that did not take names the Linux 6.2 requirement, on kernels older than that")
    void timeHint() {
        Namespaces parent = snapshot(100, 1000);
        String kernel = System.getProperty("os.version");
        try {
            System.setProperty("os.version", "5.15.0-91-generic");
            assertThat(IsolationCheck.failure("x", parent, parent, EnumSet.of(NamespaceType.TIME)))
                    .contains("execve moves a process into a new time namespace only since Linux 6.2; this is 5.15");
            System.setProperty("os.version", "6.18.44");
            assertThat(IsolationCheck.failure("x", parent, parent, EnumSet.of(NamespaceType.TIME)))
                    .doesNotContain("6.2");
        } finally {
            System.setProperty("os.version", kernel);
        }
    }

    @Test
    @DisplayName("the table's columns: left-aligned, the expected one wider where a namespace was joined, a type "
            + "the kernel lacks shown as -")
    void tableColumns() {
        Namespaces parent = snapshot(100, 1000);
        Map<NamespaceType, Long> inodes = new EnumMap<>(with(parent, NamespaceType.UTS, 4026532999L).inodes());
        inodes.remove(NamespaceType.TIME);
        Namespaces child = Namespaces.fromInodes(200, inodes);

        assertThat(IsolationCheck.table(parent, child, EnumSet.of(NamespaceType.UTS))).isEqualTo(""
                + "type    expected  parent inode  child inode   verdict\n"
                + "cgroup  shared    1000          1000          ok\n"
                + "ipc     shared    1001          1001          ok\n"
                + "mnt     shared    1002          1002          ok\n"
                + "net     shared    1003          1003          ok\n"
                + "pid     shared    1004          1004          ok\n"
                + "time    shared    1005          -             ok\n"
                + "user    shared    1006          1006          ok\n"
                + "uts     new       1007          4026532999    ok\n");
        assertThat(IsolationCheck.table(parent, with(parent, NamespaceType.NET, 9), EnumSet.noneOf(
                NamespaceType.class), Map.of(NamespaceType.NET, 9L)).lines()).startsWith(
                "type    expected           parent inode  child inode   verdict",
                "cgroup  shared             1000          1000          ok")
                .contains("net     joined 9           1003          9             ok");
    }
}
