package dev.nsjunit.internal.parent;

/**
 * Stands in for a throwable from the child that cannot be rebuilt here (not serializable, or of a class this JVM
 * does not accept): it keeps the original class name, message, stack, cause and suppressed, and prints as the
 * original would.
 */
public final class ChildThrowable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String originalClassName;

    ChildThrowable(String originalClassName, String message) {
        super(message);
        this.originalClassName = originalClassName;
    }

    /** The class of the throwable this one stands in for. */
    public String originalClassName() {
        return originalClassName;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? originalClassName : originalClassName + ": " + message;
    }
}
