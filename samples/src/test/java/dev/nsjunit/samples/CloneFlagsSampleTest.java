package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.NamespaceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The eight {@code CLONE_NEW*} flags, their values and the kernel that introduced each, checked against
 * {@link NamespaceType}; shown in docs/concepts/flags.md. Needs no privilege: nothing here creates a namespace.
 */
@Tag("rootless")
class CloneFlagsSampleTest {

    // tag::table[]
    @ParameterizedTest(name = "{1} = {2}, Linux {4}")
    @CsvSource(delimiter = '|', textBlock = """
            MNT    | CLONE_NEWNS     | 0x00020000 | mnt    | 2.4.19
            UTS    | CLONE_NEWUTS    | 0x04000000 | uts    | 2.6.19
            IPC    | CLONE_NEWIPC    | 0x08000000 | ipc    | 2.6.19
            PID    | CLONE_NEWPID    | 0x20000000 | pid    | 2.6.24
            NET    | CLONE_NEWNET    | 0x40000000 | net    | 2.6.29
            USER   | CLONE_NEWUSER   | 0x10000000 | user   | 3.8
            CGROUP | CLONE_NEWCGROUP | 0x02000000 | cgroup | 4.6
            TIME   | CLONE_NEWTIME   | 0x00000080 | time   | 5.6
            """)
    void flag(NamespaceType type, String flag, String value, String procName, String sinceKernel) {
        assertThat(type.cloneFlagName()).isEqualTo(flag);
        assertThat(type.cloneFlag()).isEqualTo(Integer.decode(value));
        assertThat(type.procName()).isEqualTo(procName);
        assertThat(type.sinceKernel()).isEqualTo(sinceKernel);
    }
    // end::table[]

    // tag::kernel[]
    @Test
    void thisKernelHasNoTypeItIsTooOldFor() throws IOException {
        // "6.18.44-fc-v669": the release of the running kernel, which /proc/self/ns/ follows. Only one way: a kernel
        // built without a type (CONFIG_TIME_NS=n, say) has no file for it however new it is.
        String release = Files.readAllLines(Path.of("/proc/sys/kernel/osrelease")).get(0);
        for (NamespaceType type : NamespaceType.values()) {
            if (Files.exists(Path.of("/proc/self/ns", type.procName()))) {
                assertThat(compareVersions(release, type.sinceKernel())).as("%s since Linux %s, running %s",
                        type.cloneFlagName(), type.sinceKernel(), release).isNotNegative();
            }
        }
    }
    // end::kernel[]

    @Test
    void everyFlagIsADifferentBit() {
        // They can be or-ed together into one clone() call; TIME's bit is the one that clone() itself cannot take
        // (it lies in the exit-signal byte), which is why CLONE_NEWTIME only works through unshare().
        assertThat(Arrays.stream(NamespaceType.values()).mapToInt(NamespaceType::cloneFlag))
                .allMatch(flag -> Integer.bitCount(flag) == 1)
                .doesNotHaveDuplicates();
    }

    /** Compares dotted version numbers, ignoring anything after the first character that is neither digit nor dot. */
    private static int compareVersions(String release, String version) {
        int[] left = numbers(release);
        int[] right = numbers(version);
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int difference = Integer.compare(i < left.length ? left[i] : 0, i < right.length ? right[i] : 0);
            if (difference != 0) {
                return difference;
            }
        }
        return 0;
    }

    private static int[] numbers(String version) {
        return Arrays.stream(version.split("[^0-9.]", 2)[0].split("\\.")).mapToInt(Integer::parseInt).toArray();
    }
}
