package dev.nsjunit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reading mount points out of {@code /proc/self/mountinfo}. */
class MountPointsTests {

    @Test
    @DisplayName("the fifth field of each line, with the kernel's octal escapes undone")
    void parsesAndUnescapes() {
        String mountinfo = "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
                + "40 22 0:4 uts:[4026532177] /tmp/a\\040b\\134c\\011d rw - nsfs nsfs rw\n";

        assertThat(MountPoints.parse(mountinfo)).containsExactly("/", "/tmp/a b\\c\td");
    }

    @Test
    @DisplayName("/proc is a mount point here, /proc/self/ns is not, a missing path is not")
    void onThisMachine() {
        assertThat(MountPoints.isMountPoint(Path.of("/proc"))).isTrue();
        assertThat(MountPoints.isMountPoint(Path.of("/proc/self/ns"))).isFalse();
        assertThat(MountPoints.isMountPoint(Path.of("/no/such/path"))).isFalse();
    }
}
