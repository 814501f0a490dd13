package dev.nsjunit.internal.parent;

import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Status;
import org.opentest4j.TestAbortedException;

/** Turns an outcome from the child into this JVM's: returns for a pass, throws the child's throwable otherwise. */
final class OutcomeReplay {

    private OutcomeReplay() {
    }

    static void replay(Finished finished) throws Throwable {
        if (finished.status() == Status.SUCCESSFUL) {
            return;
        }
        Throwable throwable = finished.throwable() == null
                ? new ChildJvmException("the child reported " + finished.status() + " without a throwable")
                : ThrowableReplay.rebuild(finished.throwable());
        if (throwable instanceof OutOfMemoryError) {
            // The child's heap ran out, not ours: rethrown as is, JUnit would end the whole run.
            throw new ChildJvmException("the child JVM ran out of memory: " + throwable.getMessage()
                    + " (give it more with nsjunit.child.jvm.args, e.g. -Xmx1g)", throwable);
        }
        if (finished.status() == Status.ABORTED && !(throwable instanceof TestAbortedException)) {
            throw new TestAbortedException(throwable.getMessage(), throwable);
        }
        throw throwable;
    }

    /** {@link #replay} for a place that cannot declare checked exceptions: inside a stream. */
    static <T> T replayFromStream(Finished finished) {
        try {
            replay(finished);
        } catch (Throwable t) {
            throw OutcomeReplay.<RuntimeException>rethrow(t);
        }
        throw new IllegalStateException("a failed outcome replayed without throwing");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E rethrow(Throwable t) throws E {
        throw (E) t; // the child's checked exception, unwrapped, as the child threw it
    }
}
