package soak;

/** A user's own checked exception, with a message and a cause. */
public class SoakException extends Exception {

    public SoakException(String message, Throwable cause) {
        super(message, cause);
    }
}
