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

    private static final int MAX_STRING_BYTES = 64 * 1024 * 1024;

    private final DataInputStream in;
    private final DataOutputStream out;

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
     * @throws EOFException if the other side closed the channel (it exited or died) before a whole message
     */
    public Message receive() throws IOException {
        int tag = in.readUnsignedByte();
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
                return new DynamicNode(readString(), readString(), readString(), in.readBoolean(), readFinished());
            default:
                throw new IOException("unknown message tag " + tag + " on the nsjunit channel: parent and child "
                        + "run different nsjunit versions, or something else wrote to the channel");
        }
    }

    private void writeFinished(Finished finished) throws IOException {
        out.writeByte(finished.status().ordinal());
        writeThrowable(finished.throwable());
    }

    private Finished readFinished() throws IOException {
        return new Finished(Message.Status.values()[in.readUnsignedByte()], readThrowable());
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

    private byte[] readBytes() throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        if (length > MAX_STRING_BYTES) {
            throw new IOException("nsjunit channel: a field of " + length + " bytes is beyond the limit of "
                    + MAX_STRING_BYTES);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private void writeTypes(Set<NamespaceType> types) throws IOException {
        out.writeInt(types.size());
        for (NamespaceType type : types) {
            out.writeByte(type.ordinal());
        }
    }

    private Set<NamespaceType> readTypes() throws IOException {
        Set<NamespaceType> types = EnumSet.noneOf(NamespaceType.class);
        for (int i = in.readInt(); i > 0; i--) {
            types.add(NamespaceType.values()[in.readUnsignedByte()]);
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
        long pid = in.readLong();
        Map<NamespaceType, Long> inodes = new EnumMap<>(NamespaceType.class);
        for (int i = in.readInt(); i > 0; i--) {
            inodes.put(NamespaceType.values()[in.readUnsignedByte()], in.readLong());
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
        for (int i = in.readInt(); i > 0; i--) {
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
        for (int i = in.readInt(); i > 0; i--) {
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

    private ThrowableData readThrowable() throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String className = readString();
        String message = readString();
        List<StackTraceElement> stack = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            stack.add(new StackTraceElement(readString(), readString(), readString(), readString(), readString(),
                    readString(), in.readInt()));
        }
        ThrowableData cause = readThrowable();
        List<ThrowableData> suppressed = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            suppressed.add(readThrowable());
        }
        return new ThrowableData(className, message, stack, cause, suppressed, readBytes());
    }
}
