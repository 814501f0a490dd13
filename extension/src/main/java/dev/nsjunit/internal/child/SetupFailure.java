package dev.nsjunit.internal.child;

/** A step of the child's namespace setup failed; the message names the call, the errno, the cause and the fix. */
final class SetupFailure extends Exception {

    private static final long serialVersionUID = 1L;

    SetupFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
