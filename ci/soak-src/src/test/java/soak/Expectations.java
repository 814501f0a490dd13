package soak;

import java.util.List;
import java.util.regex.Pattern;

/** How each test must end: status, exception class, message (a pattern where it holds a pid), cause. */
final class Expectations {

    /** The kinds, in order; the two background methods are one kind. */
    static final List<String> METHODS = List.of("failsAnAssertion", "throwsAnException", "exits", "halts",
            "killsItself", "timesOut", "overflowsItsStack", "runsOutOfHeap", "leavesProcesses", "floods", "isAborted");

    private static final String DIED = "dev.nsjunit.internal.parent.ChildJvmException";

    private Expectations() {
    }

    static int kindOf(String method) {
        int kind = METHODS.indexOf(method.equals("leavesProcessesInPidNamespace") ? "leavesProcesses" : method);
        if (kind < 0) {
            throw new IllegalArgumentException("no kind for " + method);
        }
        return kind;
    }

    record Expected(String status, String type, Pattern message, String causeType, String causeMessage) {

        static Expected passes() {
            return new Expected("SUCCESSFUL", null, null, null, null);
        }

        static Expected fails(String type, String message) {
            return new Expected("FAILED", type, message == null ? null : Pattern.compile(Pattern.quote(message)),
                    null, null);
        }

        static Expected dies(String displayName, String how) {
            return new Expected("FAILED", DIED, Pattern.compile("the child JVM \\(pid \\d+\\) running "
                    + Pattern.quote(displayName + " " + how + " before reporting an outcome")), null, null);
        }

        /** What is wrong with an outcome, or null if it is as expected. */
        String mismatch(Outcome outcome) {
            if (!status.equals(outcome.status())) {
                return "ended " + outcome.status() + " instead of " + status + outcome.describeThrowable();
            }
            if (type == null) {
                return outcome.type() == null ? null : "has an unexpected throwable" + outcome.describeThrowable();
            }
            if (!type.equals(outcome.type())) {
                return "threw " + outcome.type() + " instead of " + type + outcome.describeThrowable();
            }
            if (message == null ? outcome.message() != null
                    : outcome.message() == null || !message.matcher(outcome.message()).matches()) {
                return "has the message " + quote(outcome.message()) + " instead of "
                        + (message == null ? "none" : "one matching " + message);
            }
            if (causeType != null && !(causeType.equals(outcome.causeType())
                    && causeMessage.equals(outcome.causeMessage()))) {
                return "has the cause " + outcome.causeType() + ": " + quote(outcome.causeMessage()) + " instead of "
                        + causeType + ": " + causeMessage;
            }
            return null;
        }
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
        return "\"" + shown.replace("\n", "\\n") + "\"";
    }

    static Expected of(String method, int i) {
        switch (method) {
            case "failsAnAssertion":
                return Expected.fails("org.opentest4j.AssertionFailedError",
                        "soak assertion " + i + " ==> expected: <" + i + "> but was: <" + (-i - 1) + ">");
            case "throwsAnException":
                return i % 2 == 0 ? Expected.fails("java.io.IOException", "soak checked " + i)
                        : new Expected("FAILED", "soak.SoakException", Pattern.compile(Pattern.quote("soak custom " + i)),
                                "java.lang.IllegalStateException", "soak cause " + i);
            case "exits":
                return Expected.dies("exit " + i, "exited with code " + (i % 64));
            case "halts":
                return Expected.dies("halt " + i, "exited with code " + (64 + i % 64));
            case "killsItself":
                return Expected.dies("kill " + i, "was killed by SIGKILL (9)");
            case "timesOut":
                return Expected.fails("java.util.concurrent.TimeoutException",
                        "timesOut(int) timed out after 500 milliseconds");
            case "overflowsItsStack":
                return Expected.fails("java.lang.StackOverflowError", null);
            case "runsOutOfHeap":
                // The child's OutOfMemoryError as the cause of a failure of the test's own: rethrown as it is, JUnit
                // would end the whole run.
                return new Expected("FAILED", DIED, Pattern.compile(Pattern.quote("the child JVM ran out of memory: "
                        + "Java heap space (give it more with nsjunit.child.jvm.args, e.g. -Xmx1g)")),
                        "java.lang.OutOfMemoryError", "Java heap space");
            case "leavesProcesses":
            case "leavesProcessesInPidNamespace":
            case "floods":
                return Expected.passes();
            case "isAborted":
                return new Expected("ABORTED", "org.opentest4j.TestAbortedException",
                        Pattern.compile(Pattern.quote("Assumption failed: soak assumption " + i)), null, null);
            default:
                throw new IllegalArgumentException(method);
        }
    }
}
