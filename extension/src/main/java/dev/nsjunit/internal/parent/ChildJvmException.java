package dev.nsjunit.internal.parent;

/** The child JVM could not be started, died, or timed out before reporting its test's outcome. */
public final class ChildJvmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ChildJvmException(String message) {
        super(message);
    }

    ChildJvmException(String message, Throwable cause) {
        super(message, cause);
    }
}
