package dev.nsjunit.internal.parent;

import dev.nsjunit.internal.wire.ThrowableData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * Rebuilds a child's throwable in this JVM: from its serialized form if that passes a filter that admits only
 * throwables and the JDK and opentest4j types they hold, else as a {@link ChildThrowable} from the plain data.
 */
final class ThrowableReplay {

    private static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final long MAX_DEPTH = 100;
    private static final long MAX_REFERENCES = 100_000;

    private static final ObjectInputFilter FILTER = info -> {
        if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.streamBytes() > MAX_BYTES) {
            return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        String name = type.getName();
        boolean allowed = type.isPrimitive() || Throwable.class.isAssignableFrom(type)
                || type == StackTraceElement.class || name.startsWith("java.lang.") || name.startsWith("java.util.")
                || name.startsWith("java.time.") || name.startsWith("java.math.") || name.startsWith("org.opentest4j.")
                // The expected and actual values of an assertion: enums, records and the project's own classes.
                || type.isEnum() || Record.class.isAssignableFrom(type) || isProjectClass(type);
        return allowed ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    };

    /** Compiled by the project itself (a class directory, not a library jar, where gadget chains come from). */
    private static boolean isProjectClass(Class<?> type) {
        java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
        return source != null && source.getLocation() != null && source.getLocation().getPath().endsWith("/");
    }

    private ThrowableReplay() {
    }

    static Throwable rebuild(ThrowableData data) {
        if (data.serialized() != null) {
            try (ObjectInputStream in = new FilteredInput(new ByteArrayInputStream(data.serialized()))) {
                Object object = in.readObject();
                if (object instanceof Throwable throwable) {
                    return throwable;
                }
            } catch (IOException | ClassNotFoundException | RuntimeException rejected) {
                // Falls back to the plain data, which always crosses.
            }
        }
        return standIn(data);
    }

    private static Throwable standIn(ThrowableData data) {
        ChildThrowable standIn = new ChildThrowable(data.className(), data.message());
        standIn.setStackTrace(data.stackTrace().toArray(new StackTraceElement[0]));
        if (data.cause() != null) {
            standIn.initCause(rebuild(data.cause()));
        }
        data.suppressed().forEach(s -> standIn.addSuppressed(rebuild(s)));
        return standIn;
    }

    private static final class FilteredInput extends ObjectInputStream {

        FilteredInput(InputStream in) throws IOException {
            super(in);
            setObjectInputFilter(FILTER);
        }

        /** Test classes may be loaded by a loader other than the one that loaded nsjunit. */
        @Override
        protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null) {
                try {
                    return Class.forName(description.getName(), false, context);
                } catch (ClassNotFoundException e) {
                    // Try the default below.
                }
            }
            return super.resolveClass(description);
        }
    }
}
