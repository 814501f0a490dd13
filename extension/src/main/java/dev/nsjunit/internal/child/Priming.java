package dev.nsjunit.internal.child;

import dev.nsjunit.InNamespace;
import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Status;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * What a child started ahead of its test does while it waits for it: runs a trivial test of nsjunit's own through
 * the same Launcher, engine and extension as the real one. A JVM's first JUnit run costs 100-150 ms more than its
 * second (class initialisation, the linking of lambdas, code run once in the interpreter); paid here, that is off
 * the path between the parent's request and the test's outcome.
 *
 * <p>Nothing of the user's takes part: the session listeners that {@code ServiceLoader} offers are left out, and
 * so are extensions registered for automatic detection, so the user sees one run of each, for the real test; nor
 * does the user's configuration, whose classes would otherwise run here, before the real test's isolation check
 * (see {@link SingleTestRunner#unseen()}).
 */
final class Priming {

    /** What a child that primed JUnit reports, in the parent's {@code nsjunit.child} report entry. */
    static final String PRIMED = "JUnit primed while it waited";

    /** The parent of JUnit's loggers; a level set on a logger below it (by the user's logging.properties) stays. */
    private static final String JUNIT_LOGGER = "org.junit";

    private static final String BODY_ID = "[engine:junit-jupiter]/[class:" + Body.class.getName()
            + "]/[method:run()]";

    private Priming() {
    }

    /**
     * Best effort: a failure here costs only the time it was meant to save; the real test then pays the start-up
     * itself and meets the same problem, if any, with a proper report. Returns what happened, for the parent's
     * report.
     */
    static String run() {
        return run(() -> {
            Namespaces.current();
            return SingleTestRunner.unseen().run(BODY_ID, Map.of(
                    ChildBooter.IN_CHILD_KEY, "true",
                    "junit.jupiter.extensions.autodetection.enabled", "false"));
        });
    }

    /** {@link #run()}, with the priming run given. */
    static String run(Supplier<Finished> priming) {
        try {
            Finished outcome = withoutJUnitLogging(priming);
            return outcome.status() == Status.SUCCESSFUL ? PRIMED
                    : "priming JUnit ended " + outcome.status() + ": " + outcome.throwable();
        } catch (VirtualMachineError e) {
            // Reported like any failure, not rethrown: a child started ahead that dies is replaced, unseen, by one
            // started for the test, and the next one started ahead would likely die the same way. Printed in full
            // as well, for the report entry is easy to miss and out of memory or stack here is likely the real
            // test's lot too. (ThreadDeath, deprecated for removal, comes only from Thread.stop, which nothing here
            // calls; naming it would break this class on a JDK without it.)
            e.printStackTrace();
            return "priming JUnit failed: " + e;
        } catch (Throwable e) {
            return "priming JUnit failed: " + e;
        }
    }

    /**
     * JUnit logs through java.util.logging, under "org.junit"; what it would log here (a second
     * junit-platform.properties on the classpath, say) the real test's run logs again, to the same output.
     */
    private static <T> T withoutJUnitLogging(Supplier<T> run) {
        Logger junit = Logger.getLogger(JUNIT_LOGGER);
        Level previous = junit.getLevel();
        junit.setLevel(Level.OFF);
        try {
            return run.get();
        } finally {
            junit.setLevel(previous);
        }
    }

    /** A trivial isolated test: in the child, nsjunit's extension lets it run here. */
    @InNamespace(uts = true)
    static final class Body {
        @Test
        void run() {
        }
    }
}
