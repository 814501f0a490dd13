package dev.nsjunit.internal.spawn;

/** Creating the namespaced child failed; the message says which call, the errno name, the cause and the fix. */
public final class SpawnException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int errno;

    SpawnException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The errno the failing call reported, or 0 when the failure was not a failed call. */
    public int errno() {
        return errno;
    }
}
