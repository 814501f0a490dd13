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

    /**
     * How deep throwables may nest, through causes and suppressed ones, on the channel. Deeper ones are cut here in
     * the child, and refused by the parent: a recursive reader must not overflow its stack on what a peer sends.
     */
    public static final int MAX_NESTING = 256;

    /** Captures {@code throwable} in the child; what nests deeper than {@link #MAX_NESTING} is left out. */
    public static ThrowableData of(Throwable throwable) {
        return of(throwable, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    }

    private static ThrowableData of(Throwable throwable, Set<Throwable> seen, int depth) {
        seen.add(throwable);
        Throwable cause = throwable.getCause();
        List<ThrowableData> suppressed = new ArrayList<>();
        for (Throwable s : throwable.getSuppressed()) {
            if (!seen.contains(s) && depth < MAX_NESTING) {
                suppressed.add(of(s, seen, depth + 1));
            }
        }
        return new ThrowableData(throwable.getClass().getName(), throwable.getMessage(),
                Arrays.asList(throwable.getStackTrace()),
                cause == null || seen.contains(cause) || depth >= MAX_NESTING ? null : of(cause, seen, depth + 1),
                suppressed, depth == 0 ? serialize(throwable) : null);
    }

    private static byte[] serialize(Throwable throwable) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(throwable);
        } catch (IOException | RuntimeException | StackOverflowError notSerializable) {
            // The plain data stands in for it (serialization recurses through the causes: a deep chain overflows).
            return null;
        }
        return bytes.toByteArray();
    }
}
