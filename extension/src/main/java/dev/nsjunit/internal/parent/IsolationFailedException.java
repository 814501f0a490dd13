package dev.nsjunit.internal.parent;

/** The child was not isolated as requested (or its namespaces could not be set up); no user code ran in it. */
public final class IsolationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    IsolationFailedException(String message) {
        super(message);
    }
}
