package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NamespacesTests {

    @Test
    @DisplayName("current() reads the same inodes as of(own pid), and they match stat's st_ino of the ns files")
    void currentMatchesOfOwnPid() throws Exception {
        Namespaces current = Namespaces.current();
        Namespaces byPid = Namespaces.of(ProcessHandle.current().pid());

        assertThat(current).isEqualTo(byPid);
        assertThat(current.types()).isEqualTo(EnumSet.allOf(NamespaceType.class));
        Object inode = Files.getAttribute(Path.of("/proc/self/ns/uts"), "unix:ino");
        assertThat(current.inode(NamespaceType.UTS)).isEqualTo(((Number) inode).longValue());
    }

    @Test
    @DisplayName("differingTypes names exactly the types whose inodes differ")
    void differingTypes() {
        Namespaces a = Namespaces.fromInodes(10, Map.of(NamespaceType.UTS, 1L, NamespaceType.PID, 2L,
                NamespaceType.NET, 3L));
        Namespaces b = Namespaces.fromInodes(11, Map.of(NamespaceType.UTS, 9L, NamespaceType.PID, 2L,
                NamespaceType.NET, 8L));

        assertThat(a.differingTypes(b)).containsExactly(NamespaceType.NET, NamespaceType.UTS);
        assertThat(a.differingTypes(a)).isEmpty();
    }

    @Test
    @DisplayName("toString is a readable table, one type per line")
    void toStringIsATable() {
        Namespaces snapshot = Namespaces.fromInodes(42, Map.of(NamespaceType.UTS, 4026531838L,
                NamespaceType.PID, 4026531836L));

        assertThat(snapshot).hasToString("namespaces of pid 42\n  pid     4026531836\n  uts     4026531838\n");
    }

    @Test
    @DisplayName("a type the snapshot lacks, and a process that does not exist, give clear errors")
    void errors() {
        assertThatThrownBy(() -> Namespaces.fromInodes(1, Map.of()).inode(NamespaceType.TIME))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("no time namespace in this snapshot: the kernel predates it (CLONE_NEWTIME came with "
                        + "Linux 5.6)");
        assertThatThrownBy(() -> Namespaces.of(Integer.MAX_VALUE)).isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot read /proc/" + Integer.MAX_VALUE + "/ns: no such process");
    }
}
