package dev.nsjunit.internal.child;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a child's CPU goes, for the benchmark ({@code ci/bench}): when the system property {@value #FILE_PROPERTY}
 * names a file, the child appends one line to it, "phase=ms ..." for each phase it marked, the CPU time of all its
 * threads (the JIT compiler's and the collector's too) since the previous mark. Off, each mark costs a field read.
 */
final class CpuPhases {

    static final String FILE_PROPERTY = "nsjunit.internal.child.phases";

    private final Path file;
    private final StringBuilder line = new StringBuilder();
    private long lastNanos;

    private CpuPhases(Path file) {
        this.file = file;
    }

    static CpuPhases fromSystemProperty() {
        String file = System.getProperty(FILE_PROPERTY);
        return new CpuPhases(file == null || file.isEmpty() ? null : Path.of(file));
    }

    /** Ends the phase called {@code name}; the first mark measures from the JVM's start. */
    void mark(String name) {
        if (file == null) {
            return;
        }
        long now = cpuNanos();
        line.append(line.length() == 0 ? "" : " ").append(name).append('=').append((now - lastNanos) / 1_000_000);
        lastNanos = now;
    }

    void write() {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("nsjunit: cannot write the CPU phases to " + file + ": " + e);
        }
    }

    /** The first field of {@code /proc/self/task/<tid>/schedstat}: time on the CPU, in nanoseconds. */
    private static long cpuNanos() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String schedstat = Files.readString(task.resolve("schedstat"));
                sum += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
            }
        } catch (IOException | RuntimeException threadGone) {
            // A thread that ended between the listing and the read: its time is lost, the rest still counts.
        }
        return sum;
    }
}
