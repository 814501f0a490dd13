package dev.nsjunit.samples;

// tag::imports[]
import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.InNamespace;
import org.junit.jupiter.api.Test;

// end::imports[]
/** The smallest use of nsjunit, shown in docs/getting-started.md: every test of the class runs as PID 1. */
// tag::class[]
@InNamespace(pid = true)
class GettingStartedSampleTest {

    @Test
    void runsAsPid1() {
        assertThat(ProcessHandle.current().pid()).isEqualTo(1L);
    }
}
// end::class[]
