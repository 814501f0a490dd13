package dev.nsjunit.internal.wire;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.wire.Message.DynamicNode;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Go;
import dev.nsjunit.internal.wire.Message.Ready;
import dev.nsjunit.internal.wire.Message.Refused;
import dev.nsjunit.internal.wire.Message.ReportEntry;
import dev.nsjunit.internal.wire.Message.RunTest;
import dev.nsjunit.internal.wire.Message.Stop;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Both ends of the conversation between parent and child over one stream socket: each {@link Message} is a tag
 * byte and its fields, strings as length-prefixed UTF-8. A Unix socket inherited at {@code clone} keeps working
 * in new network, mount and user namespaces, where TCP to the parent's loopback would not.
 */
public final class Channel {

    /** The most a single field (a string, a throwable's serialized form) may have. */
    private static final int MAX_FIELD_BYTES = 64 * 1024 * 1024;
    /** The most a whole message may have. */
    private static final long MAX_MESSAGE_BYTES = 128L * 1024 * 1024;
    /** The most elements a list, map or stack trace may declare; their bytes must still arrive. */
    private static final int MAX_COUNT = 1_000_000;
    /** How much of a field is allocated before its bytes arrive; the buffer then doubles as they do. */
    private static final int PIECE_BYTES = 64 * 1024;
    private static final String[] TAG_NAMES = {null, "RunTest", "Ready", "Refused", "Go", "Stop", "ReportEntry",
        "Finished", "DynamicNode"};

    private final DataInputStream in;
    private final DataOutputStream out;
    /** The message being received, for the errors: its name, and how many of its bytes arrived so far. */
    private String reading = "message";
    private long received;

    public Channel(Fd socket) {
        this.in = new DataInputStream(new BufferedInputStream(socket.inputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.outputStream()));
    }

    /** Sends one message and flushes it; safe to call from several threads. */
    public synchronized void send(Message message) throws IOException {
        if (message instanceof RunTest m) {
            out.writeByte(1);
            writeString(m.uniqueId());
            writeTypes(m.types());
            writeNamespaces(Namespaces.fromInodes(0, m.joined()));
            writeString(m.hostname());
            writeNamespaces(m.parent());
            writeMap(m.systemProperties());
            writeMap(m.configuration());
        } else if (message instanceof Ready m) {
            out.writeByte(2);
            writeNamespaces(m.child());
            writeList(m.setupSteps());
            writeString(m.priming());
        } else if (message instanceof Refused m) {
            out.writeByte(3);
            writeString(m.reason());
        } else if (message instanceof Go) {
            out.writeByte(4);
        } else if (message instanceof Stop m) {
            out.writeByte(5);
            writeString(m.reason());
        } else if (message instanceof ReportEntry m) {
            out.writeByte(6);
            writeMap(m.keyValuePairs());
        } else if (message instanceof Finished m) {
            out.writeByte(7);
            writeFinished(m);
        } else if (message instanceof DynamicNode m) {
            out.writeByte(8);
            writeString(m.uniqueId());
            writeString(m.parentId());
            writeString(m.displayName());
            out.writeBoolean(m.container());
            writeFinished(m.outcome());
        }
        out.flush();
    }

    /**
     * Receives the next message.
     *
     * @throws EOFException if the other side closed the channel (it exited or died) before a message began
     * @throws ProtocolException if what arrived is no well-formed message, or the channel ended inside one
     */
    public Message receive() throws IOException {
        int tag = in.read();
        if (tag < 0) {
            throw new EOFException("the nsjunit channel ended");
        }
        received = 1;
        reading = tag >= 1 && tag < TAG_NAMES.length ? TAG_NAMES[tag] + " message" : "message";
        try {
            return read(tag);
        } catch (EOFException e) {
            throw new ProtocolException("the channel ended inside a " + reading + ", after " + received
                    + " of its bytes");
        }
    }

    /**
     * The next message, which must be one of {@code expected}: a parent that gets a message out of order (a Ready
     * where an outcome should come) learns that the child does not follow the protocol.
     */
    @SafeVarargs
    public final Message receive(Class<? extends Message>... expected) throws IOException {
        Message message = receive();
        for (Class<? extends Message> type : expected) {
            if (type.isInstance(message)) {
                return message;
            }
        }
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < expected.length; i++) {
            names.append(i == 0 ? "" : i == expected.length - 1 ? " or " : ", ").append(expected[i].getSimpleName());
        }
        throw new ProtocolException("expected " + names + ", got " + message.getClass().getSimpleName());
    }

    private Message read(int tag) throws IOException {
        switch (tag) {
            case 1:
                return new RunTest(readString(), readTypes(), readNamespaces().inodes(), readString(), readNamespaces(),
                        readMap(), readMap());
            case 2:
                return new Ready(readNamespaces(), readList(), readString());
            case 3:
                return new Refused(readString());
            case 4:
                return new Go();
            case 5:
                return new Stop(readString());
            case 6:
                return new ReportEntry(readMap());
            case 7:
                return readFinished();
            case 8:
                return new DynamicNode(readString(), readString(), readString(), readBoolean(), readFinished());
            default:
                throw new ProtocolException("unknown message tag " + tag + " on the nsjunit channel: parent and "
                        + "child run different nsjunit versions, or something else wrote to the channel");
        }
    }

    private void writeFinished(Finished finished) throws IOException {
        out.writeByte(finished.status().ordinal());
        writeThrowable(finished.throwable());
    }

    private Finished readFinished() throws IOException {
        return new Finished(readEnum(Message.Status.values(), "outcome status"), readThrowable(0));
    }

    private void writeString(String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private String readString() throws IOException {
        byte[] bytes = readBytes();
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private void writeBytes(byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    /**
     * A length-prefixed field, read in pieces into a buffer that grows only as its bytes arrive: a peer that declares
     * 2 GiB and sends ten bytes costs ten bytes, not an OutOfMemoryError in the test JVM.
     */
    private byte[] readBytes() throws IOException {
        int length = readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new ProtocolException("a field of the " + reading + " declares a negative length, " + length);
        }
        if (length > MAX_FIELD_BYTES || received + length > MAX_MESSAGE_BYTES) {
            throw new ProtocolException("a field of the " + reading + " declares " + length + " bytes, beyond the "
                    + "limit of " + MAX_FIELD_BYTES + " for a field and " + MAX_MESSAGE_BYTES + " for a message");
        }
        byte[] bytes = new byte[Math.min(length, PIECE_BYTES)];
        int filled = 0;
        while (filled < length) {
            if (filled == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
            }
            int n = in.read(bytes, filled, bytes.length - filled);
            if (n < 0) {
                throw new EOFException();
            }
            filled += n;
            received += n;
        }
        return bytes;
    }

    private int readInt() throws IOException {
        int value = in.readInt();
        received += 4;
        return value;
    }

    private long readLong() throws IOException {
        long value = in.readLong();
        received += 8;
        return value;
    }

    private int readUnsignedByte() throws IOException {
        int value = in.readUnsignedByte();
        received++;
        return value;
    }

    private boolean readBoolean() throws IOException {
        int value = readUnsignedByte();
        if (value > 1) {
            throw new ProtocolException("a boolean of the " + reading + " is " + value + ", neither 0 nor 1");
        }
        return value == 1;
    }

    /** An element count; the list grows only as its elements arrive, so the count alone costs nothing. */
    private int readCount(String what) throws IOException {
        int count = readInt();
        if (count < 0 || count > MAX_COUNT) {
            throw new ProtocolException("the " + reading + " declares " + count + " " + what + ", outside 0 to "
                    + MAX_COUNT);
        }
        return count;
    }

    private <E extends Enum<E>> E readEnum(E[] values, String what) throws IOException {
        int ordinal = readUnsignedByte();
        if (ordinal >= values.length) {
            throw new ProtocolException("the " + reading + " has " + what + " number " + ordinal + ", but there are "
                    + "only " + values.length + " (0 to " + (values.length - 1) + ")");
        }
        return values[ordinal];
    }

    private void writeTypes(Set<NamespaceType> types) throws IOException {
        out.writeInt(types.size());
        for (NamespaceType type : types) {
            out.writeByte(type.ordinal());
        }
    }

    private Set<NamespaceType> readTypes() throws IOException {
        Set<NamespaceType> types = EnumSet.noneOf(NamespaceType.class);
        for (int i = readCount("namespace types"); i > 0; i--) {
            types.add(readEnum(NamespaceType.values(), "namespace type"));
        }
        return types;
    }

    private void writeNamespaces(Namespaces namespaces) throws IOException {
        out.writeLong(namespaces.pid());
        out.writeInt(namespaces.inodes().size());
        for (Map.Entry<NamespaceType, Long> entry : namespaces.inodes().entrySet()) {
            out.writeByte(entry.getKey().ordinal());
            out.writeLong(entry.getValue());
        }
    }

    private Namespaces readNamespaces() throws IOException {
        long pid = readLong();
        Map<NamespaceType, Long> inodes = new EnumMap<>(NamespaceType.class);
        for (int i = readCount("namespace inodes"); i > 0; i--) {
            inodes.put(readEnum(NamespaceType.values(), "namespace type"), readLong());
        }
        return Namespaces.fromInodes(pid, inodes);
    }

    private void writeMap(Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            writeString(entry.getKey());
            writeString(entry.getValue());
        }
    }

    private Map<String, String> readMap() throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = readCount("map entries"); i > 0; i--) {
            map.put(readString(), readString());
        }
        return map;
    }

    private void writeList(List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(s);
        }
    }

    private List<String> readList() throws IOException {
        List<String> list = new ArrayList<>();
        for (int i = readCount("list elements"); i > 0; i--) {
            list.add(readString());
        }
        return list;
    }

    private void writeThrowable(ThrowableData t) throws IOException {
        out.writeBoolean(t != null);
        if (t == null) {
            return;
        }
        writeString(t.className());
        writeString(t.message());
        out.writeInt(t.stackTrace().size());
        for (StackTraceElement e : t.stackTrace()) {
            writeString(e.getClassLoaderName());
            writeString(e.getModuleName());
            writeString(e.getModuleVersion());
            writeString(e.getClassName());
            writeString(e.getMethodName());
            writeString(e.getFileName());
            out.writeInt(e.getLineNumber());
        }
        writeThrowable(t.cause());
        out.writeInt(t.suppressed().size());
        for (ThrowableData s : t.suppressed()) {
            writeThrowable(s);
        }
        writeBytes(t.serialized());
    }

    /** A throwable nested {@code depth} deep in causes and suppressed, which must not be more than the limit. */
    private ThrowableData readThrowable(int depth) throws IOException {
        if (!readBoolean()) {
            return null;
        }
        if (depth > ThrowableData.MAX_NESTING) {
            throw new ProtocolException("the " + reading + " nests throwables (causes and suppressed) more than "
                    + ThrowableData.MAX_NESTING + " deep");
        }
        String className = readString();
        String message = readString();
        List<StackTraceElement> stack = new ArrayList<>();
        for (int i = readCount("stack frames"); i > 0; i--) {
            stack.add(new StackTraceElement(readString(), readString(), readString(), readString(), readString(),
                    readString(), readInt()));
        }
        ThrowableData cause = readThrowable(depth + 1);
        List<ThrowableData> suppressed = new ArrayList<>();
        for (int i = readCount("suppressed throwables"); i > 0; i--) {
            suppressed.add(readThrowable(depth + 1));
        }
        return new ThrowableData(className, message, stack, cause, suppressed, readBytes());
    }
}
