package dev.nsjunit.internal.parent;

import dev.nsjunit.internal.libc.Fd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Copies one output pipe of a child, line by line, to a stream of this JVM ({@code System.out} or
 * {@code System.err}), keeping the last lines for a death report. Whole lines keep the output of children running
 * in parallel from mixing mid-line. The pump owns its pipe and closes it itself when it ends: closed by another
 * thread while this one still polls it, the number could be handed to the next child's pipe or channel.
 */
final class OutputPump {

    private static final int KEPT_LINES = 20;

    private final Thread thread;
    private final Deque<String> lastLines = new ArrayDeque<>();

    OutputPump(String name, Fd pipe, PrintStream target) {
        this.thread = new Thread(() -> {
            try {
                pump(pipe.inputStream(), target);
            } finally {
                pipe.close();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(InputStream in, PrintStream target) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) > 0) {
                for (int i = 0; i < n; i++) {
                    line.write(buffer[i]);
                    if (buffer[i] == '\n') {
                        emit(line, target);
                    }
                }
            }
        } catch (IOException e) {
            // The child is gone; what was read is still flushed below.
        }
        if (line.size() > 0) {
            line.write('\n');
            emit(line, target);
        }
    }

    private void emit(ByteArrayOutputStream line, PrintStream target) {
        byte[] bytes = line.toByteArray();
        line.reset();
        synchronized (target) {
            target.write(bytes, 0, bytes.length);
            target.flush();
        }
        synchronized (lastLines) {
            lastLines.addLast(new String(bytes, Charset.defaultCharset()).stripTrailing());
            if (lastLines.size() > KEPT_LINES) {
                lastLines.removeFirst();
            }
        }
    }

    /**
     * Waits until the pipe reached EOF (every holder of its write end is gone), at most {@code millis}; then, if a
     * process that escaped the child's process group still holds the pipe, stops the pump (it reads no further)
     * and waits for it to close the pipe.
     */
    void finish(long millis) {
        boolean interrupted = Thread.interrupted(); // a @Timeout's interrupt must not cut the drain short
        try {
            thread.join(millis);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join();
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    List<String> lastLines() {
        synchronized (lastLines) {
            return new ArrayList<>(lastLines);
        }
    }
}
