package dev.nsjunit.samples;

import static dev.nsjunit.NamespaceAssertions.assertThat;
import static dev.nsjunit.NamespaceType.MNT;
import static dev.nsjunit.NamespaceType.NET;
import static dev.nsjunit.NamespaceType.PID;
import static dev.nsjunit.NamespaceType.USER;
import static dev.nsjunit.NamespaceType.UTS;

import dev.nsjunit.InNamespace;
import dev.nsjunit.Namespaces;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The optional AssertJ assertions on namespaces, in a child JVM. Shown in docs/assertions.md. */
@Tag("rootless")
class NamespaceAssertSampleTest {

    // tag::assert[]
    @Test
    @InNamespace(user = true, uts = true, pid = true, mnt = true)
    void isolatedFromTheTestJvm() throws Exception {
        Namespaces self = Namespaces.current();
        assertThat(self).isIsolatedFromParentIn(USER, UTS, PID, MNT);

        // A process this test starts inherits every namespace of the test's JVM.
        Process sleep = new ProcessBuilder("sleep", "10").start();
        try {
            assertThat(Namespaces.of(sleep.pid())).sharesWith(self).in(USER, UTS, PID, MNT, NET);
        } finally {
            sleep.destroyForcibly().waitFor();
        }
    }
    // end::assert[]
}
