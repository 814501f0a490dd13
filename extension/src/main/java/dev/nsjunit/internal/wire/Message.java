package dev.nsjunit.internal.wire;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What crosses between the parent and a child JVM, in order:
 * <pre>
 *   parent → child  RunTest        which test, which namespaces (new and joined), the parent's inodes
 *   child → parent  Ready          namespaces set up, isolation checked from inside: the child's inodes
 *                   or Refused     setup failed or the inside check found a mismatch; no user code ran
 *   parent → child  Go             the parent's check from outside passed
 *                   or Stop        it did not; the child exits without running user code
 *   child → parent  ReportEntry*   entries the test published
 *                   DynamicNode*   for a test factory: each dynamic test or container, once finished
 *                   Finished       the test's outcome
 * </pre>
 * Plain data only: no JUnit type crosses, because their serialized forms differ between JUnit 5 and 6.
 */
public sealed interface Message {

    /** {@code types} are new namespaces; {@code joined} are the inodes of existing ones the child joined. */
    record RunTest(String uniqueId, Set<NamespaceType> types, Map<NamespaceType, Long> joined, String hostname,
            Namespaces parent, Map<String, String> systemProperties, Map<String, String> configuration)
            implements Message {
    }

    /**
     * {@code priming} says how the child's priming of JUnit went while it waited (see {@code Priming}); null for a
     * child started for its test, which had nothing to prime in advance.
     */
    record Ready(Namespaces child, List<String> setupSteps, String priming) implements Message {
    }

    record Refused(String reason) implements Message {
    }

    record Go() implements Message {
    }

    record Stop(String reason) implements Message {
    }

    record ReportEntry(Map<String, String> keyValuePairs) implements Message {
    }

    /**
     * A dynamic test or container a test factory produced in the child, with its outcome; {@code parentId} is the
     * factory's or an enclosing container's unique ID.
     */
    record DynamicNode(String uniqueId, String parentId, String displayName, boolean container, Finished outcome)
            implements Message {
    }

    /** The test's outcome; {@code throwable} is null exactly when it passed. */
    record Finished(Status status, ThrowableData throwable) implements Message {
    }

    enum Status {
        SUCCESSFUL, ABORTED, FAILED
    }
}
