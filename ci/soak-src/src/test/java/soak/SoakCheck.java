package soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a soak run: {@code SoakCheck DIRECTORY} reads outcomes.tsv, stdout.txt, samples.txt and problems.txt (the
 * script's own findings, one a line), prints each mismatch and ends with "soak: P passed, F failed"; exits 1 unless
 * every test ended exactly as expected and nothing else was wrong.
 */
public final class SoakCheck {

    /** Descriptors and threads the test JVM may gain from the end of the first lap to the end of the second. */
    static final int LAP_SLACK = 4;
    /** ... and from its start (nothing of nsjunit's started yet) to its end. */
    static final int RUN_SLACK = 16;

    private SoakCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        Map<String, Expectations.Expected> expected = new LinkedHashMap<>();
        for (String lap : List.of("FirstLap", "SecondLap")) {
            for (String method : methods()) {
                int kind = Expectations.kindOf(method);
                Share.indices(kind, lap.equals("FirstLap") ? 1 : 2)
                        .filter(i -> !method.equals("leavesProcesses") || i % 2 == 0)
                        .filter(i -> !method.equals("leavesProcessesInPidNamespace") || i % 2 == 1)
                        .forEach(i -> expected.put(lap + "." + method + "[" + i + "]", Expectations.of(method, i)));
            }
        }
        List<String> problems = new ArrayList<>(Files.readAllLines(directory.resolve("problems.txt")));
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, Outcome> seen = new LinkedHashMap<>();
        byte[] stdout = Files.readAllBytes(directory.resolve("stdout.txt"));
        for (String line : Files.readAllLines(directory.resolve("outcomes.tsv"), StandardCharsets.UTF_8)) {
            Outcome outcome = Outcome.parse(line);
            Expectations.Expected expectation = expected.get(outcome.name());
            if (expectation == null || seen.put(outcome.name(), outcome) != null) {
                problems.add(outcome.name() + " ran but was not expected to (or ran twice)");
                continue;
            }
            String mismatch = expectation.mismatch(outcome);
            if (mismatch == null && outcome.leftovers() != null) {
                mismatch = "left processes running after it ended: " + outcome.leftovers();
            }
            if (mismatch == null && outcome.method().equals("floods")) {
                mismatch = floodMismatch(stdout, outcome.lap(), outcome.index());
            }
            if (mismatch != null) {
                failed.put(outcome.name(), mismatch);
            }
        }
        for (String name : expected.keySet()) {
            if (!seen.containsKey(name)) {
                failed.put(name, "never reported an outcome");
            }
        }
        problems.addAll(sampleProblems(Files.readAllLines(directory.resolve("samples.txt"))));
        failed.forEach((name, mismatch) -> System.out.println("soak: " + name + " " + mismatch));
        problems.forEach(problem -> System.out.println("soak: " + problem));
        System.out.println("soak: " + (expected.size() - failed.size()) + " passed, " + failed.size() + " failed"
                + (problems.isEmpty() ? "" : ", " + problems.size() + " run checks failed"));
        System.exit(failed.isEmpty() && problems.isEmpty() ? 0 : 1);
    }

    private static List<String> methods() {
        List<String> methods = new ArrayList<>(Expectations.METHODS);
        methods.add("leavesProcessesInPidNamespace");
        return methods;
    }

    /** The flood test's bytes on stdout, between its markers: exactly what it printed (a final newline added). */
    private static String floodMismatch(byte[] stdout, String lap, int index) throws Exception {
        byte[] begin = ("SOAK-FLOOD-BEGIN " + lap + " " + index + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] end = ("SOAK-FLOOD-END " + lap + " " + index + "\n").getBytes(StandardCharsets.US_ASCII);
        int from = indexOf(stdout, begin, 0);
        int to = from < 0 ? -1 : indexOf(stdout, end, from);
        if (from < 0 || to < 0) {
            return "printed no markers around its output on stdout";
        }
        byte[] got = Arrays.copyOfRange(stdout, from + begin.length, to);
        byte[] want = Flood.content(index);
        byte[] wantWithNewline = Arrays.copyOf(want, want.length + 1);
        wantWithNewline[want.length] = '\n';
        if (Arrays.equals(got, want) || Arrays.equals(got, wantWithNewline)) {
            return null;
        }
        int differs = Arrays.mismatch(got, want);
        return "printed " + want.length + " bytes (sha256 " + sha256(want) + ") but stdout got " + got.length
                + " bytes (sha256 " + sha256(got) + "), the first difference at byte " + differs;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
    }

    private static List<String> sampleProblems(List<String> lines) {
        Map<String, int[]> samples = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            samples.put(f[0], new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2])});
        }
        List<String> problems = new ArrayList<>();
        int[] start = samples.get("start");
        int[] lap = samples.get("lap");
        int[] end = samples.get("end");
        if (start == null || lap == null || end == null) {
            return List.of("the test JVM's descriptors and threads were not sampled at start, lap and end: " + lines);
        }
        System.out.println("soak: test JVM descriptors/threads at start " + start[0] + "/" + start[1] + ", after the "
                + "first lap " + lap[0] + "/" + lap[1] + ", at the end " + end[0] + "/" + end[1]
                + (samples.containsKey("closed") ? ", after the session closed " + samples.get("closed")[0] + "/"
                        + samples.get("closed")[1] : ""));
        String[] what = {"open descriptors", "threads"};
        for (int k = 0; k < 2; k++) {
            if (end[k] - lap[k] > LAP_SLACK) {
                problems.add("the test JVM's " + what[k] + " grew from " + lap[k] + " after the first lap to " + end[k]
                        + " at the end (more than " + LAP_SLACK + ")");
            }
            if (end[k] - start[k] > RUN_SLACK) {
                problems.add("the test JVM's " + what[k] + " grew from " + start[k] + " at the start to " + end[k]
                        + " at the end (more than " + RUN_SLACK + ")");
            }
        }
        return problems;
    }
}
