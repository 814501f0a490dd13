package dev.nsjunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Entry point for AssertJ assertions on {@link Namespaces}; needs {@code org.assertj:assertj-core} on the test
 * classpath, which nsjunit itself does not bring.
 *
 * <pre>{@code
 * assertThat(Namespaces.current()).isIsolatedFromParentIn(UTS, PID);
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.2.0")
public final class NamespaceAssertions {

    private NamespaceAssertions() {
    }

    /** Starts an assertion on {@code actual}, a snapshot of one process's namespaces. */
    public static NamespaceAssert assertThat(Namespaces actual) {
        return new NamespaceAssert(actual);
    }
}
