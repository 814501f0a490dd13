package dev.nsjunit.internal.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A throwable as plain data: class name, message, stack, cause and suppressed, which always cross; and its
 * Java-serialized form when it had one, which the parent prefers, since it keeps every field (an opentest4j
 * {@code AssertionFailedError}'s expected and actual, say).
 */
public record ThrowableData(String className, String message, List<StackTraceElement> stackTrace,
        ThrowableData cause, List<ThrowableData> suppressed, byte[] serialized) {

    /** Captures {@code throwable} in the child. */
    public static ThrowableData of(Throwable throwable) {
        return of(throwable, Collections.newSetFromMap(new IdentityHashMap<>()), true);
    }

    private static ThrowableData of(Throwable throwable, Set<Throwable> seen, boolean serialize) {
        seen.add(throwable);
        Throwable cause = throwable.getCause();
        List<ThrowableData> suppressed = new ArrayList<>();
        for (Throwable s : throwable.getSuppressed()) {
            if (!seen.contains(s)) {
                suppressed.add(of(s, seen, false));
            }
        }
        return new ThrowableData(throwable.getClass().getName(), throwable.getMessage(),
                Arrays.asList(throwable.getStackTrace()),
                cause == null || seen.contains(cause) ? null : of(cause, seen, false),
                suppressed, serialize ? serialize(throwable) : null);
    }

    private static byte[] serialize(Throwable throwable) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(throwable);
        } catch (IOException | RuntimeException notSerializable) {
            return null; // The plain data stands in for it.
        }
        return bytes.toByteArray();
    }
}
