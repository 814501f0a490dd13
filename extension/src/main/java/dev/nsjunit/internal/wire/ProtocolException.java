package dev.nsjunit.internal.wire;

import java.io.IOException;

/**
 * A message on the channel that breaks the protocol: an unknown tag, a field longer or a nesting deeper than the
 * limits, an out-of-range enum ordinal, a message out of order. The other side is not a working nsjunit of the same
 * version (or something else wrote to its end), so nothing it sends from here on can be trusted.
 */
public final class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String detail) {
        super("protocol error: " + detail);
    }
}
