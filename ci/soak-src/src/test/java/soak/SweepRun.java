package soak;

import dev.nsjunit.InNamespace;
import org.junit.jupiter.api.Test;

/** The next run after the killed one: its first shared namespaces sweep the run directories of dead test JVMs. */
class SweepRun {

    @Test
    @InNamespace(uts = true, shared = "soak-sweep")
    void keepsSharedNamespaces() {
    }
}
