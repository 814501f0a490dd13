package soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The `sleep 6CC.<token><index>` processes the tests start, named so that each can be traced to its test. */
final class Processes {

    private Processes() {
    }

    static String token() {
        return System.getProperty("soak.token", "00000");
    }

    /** The argument of sleep for variant {@code code} (10-99) of test {@code index}: matches ci/leftovers' pattern. */
    static String seconds(int code, int index) {
        return "6" + code + "." + token() + String.format("%05d", index);
    }

    /** The running (not zombie) processes whose command line contains {@code argument}, as "pid cmdline". */
    static List<String> running(String argument) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').trim();
                    if (!cmdline.contains(argument)) {
                        return;
                    }
                    String stat = Files.readString(p.resolve("stat"));
                    if (stat.charAt(stat.lastIndexOf(')') + 2) != 'Z') {
                        found.add(p.getFileName() + " " + cmdline);
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Those still running after up to {@code millis} of waiting for them to go. */
    static List<String> stillRunning(String argument, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        List<String> found = running(argument);
        while (!found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            found = running(argument);
        }
        return found;
    }
}
