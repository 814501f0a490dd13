package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.InNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A cgroup namespace (Linux 4.6) changes how a test sees the control group tree, not where it sits in it: the
 * cgroup the test JVM started in becomes the root of its view, while limits and accounting stay the host's.
 */
// tag::sample[]
class CgroupNamespaceSampleTest {

    @Test
    @InNamespace(cgroup = true)
    void seesItsOwnCgroupAsTheRoot() throws IOException {
        // One line per hierarchy, "id:controllers:path"; on the host the paths name where the JVM really is (say
        // /user.slice/...). Cgroups outside the root would show as paths starting with "/..".
        assertThat(Files.readAllLines(Path.of("/proc/self/cgroup"))).allSatisfy(line -> assertThat(line).endsWith(":/"));
    }
}
// end::sample[]
