package dev.nsjunit.internal.parent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * nsjunit's defaults for a JVM that runs one test: a short life, a small heap, no need for C2 or a parallel
 * collector. Each default yields to the user: the GC and heap defaults are left out as soon as the user chose a
 * collector or any heap size, on the parent's command line, in {@code nsjunit.child.jvm.args} or in the
 * environment the child inherits ({@code JAVA_TOOL_OPTIONS} and the like), since a default there could clash with
 * theirs (two collectors, or an initial heap above their maximum, stop a JVM from starting).
 */
final class LeanJvmOptions {

    /** What every child gets, also the archive's training run: the archive is only valid for the same flags. */
    static final List<String> ALWAYS = List.of("-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

    /** The environment variables through which a JVM reads options besides its command line. */
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS");

    private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use\\w+GC");
    private static final Pattern HEAP_SIZE = Pattern.compile("-Xm[snx].*|-XX:(Initial|Max|Min)HeapSize=.*"
            + "|-XX:(Max)?NewSize=.*|-XX:NewRatio=.*|-XX:MaxRAM=.*|-XX:\\w*RAM(Percentage|Fraction)=.*");
    private static final Pattern COMPILERS = Pattern.compile("-XX:[+-]TieredCompilation|-XX:TieredStopAtLevel=.*"
            + "|-XX:CICompilerCount=.*|-XX:[+-]UseDynamicNumberOfCompilerThreads|-Xint|-Xcomp");
    private static final Pattern COMPILE_THRESHOLDS = Pattern.compile("-XX:CompileThresholdScaling=.*"
            + "|-XX:\\w*Threshold\\w*=.*|-Xint|-Xcomp");

    /**
     * Methods compiled after six times as many calls or loop turns as by default. A child lives a few hundred
     * milliseconds, and a third of its CPU went to C1 compiling JUnit's start-up code that runs a few hundred times
     * and never again; measured with ci/bench's CPU table, a scaling of 3 saved about 10% of a child's CPU on JDK 17
     * and 25, and 6 another 5% on JDK 25 (JDK 17: the same at 3, 6 and 12). A test's own hot loop is still
     * compiled, a little later.
     */
    static final String COMPILE_LATER = "-XX:CompileThresholdScaling=6";

    /**
     * Class-data archives (the JDK's own and nsjunit's) mapped at the address they were dumped for, where their
     * pointers are already right. JDK 17.0.x and 25 map them at a random address by default
     * ({@code ArchiveRelocationMode=1}) and then patch every pointer in them, at each start: 6-7 ms of a child's
     * 50 ms JVM start on JDK 17 (interleaved runs of 20 isolated tests; no difference measured on JDK 25 with its
     * AOT cache, 5 ms for a bare JVM there). The randomisation hardens a long-lived
     * process against exploits of memory bugs; a child lives for one test of the user's own. Where the address is
     * taken the JVM still relocates. A diagnostic option, hence unlocked.
     */
    static final List<String> MAP_ARCHIVES_IN_PLACE = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0");

    /** The last JDK known to have {@code ArchiveRelocationMode}; a later one is asked first. */
    static final int RELOCATION_MODE_KNOWN_UNTIL = 25;

    private LeanJvmOptions() {
    }

    /**
     * The defaults for a child whose command line also has {@code userOptions} (inherited and configured), started
     * with {@code environment}.
     */
    static List<String> forChild(List<String> userOptions, Map<String, String> environment) {
        List<String> theirs = new ArrayList<>(userOptions);
        for (String variable : OPTION_VARIABLES) {
            String value = environment.get(variable);
            if (value != null) {
                theirs.addAll(Arrays.asList(value.trim().split("\\s+")));
            }
        }
        List<String> options = new ArrayList<>();
        boolean ownCollector = matchesAny(theirs.stream(), COLLECTOR);
        if (!ownCollector) {
            options.add("-XX:+UseSerialGC");
            if (!matchesAny(theirs.stream(), HEAP_SIZE)) {
                // Peak RSS: a default initial heap (1/64 of RAM) has a young generation that a child fills with
                // fresh pages and never collects; a small one is collected and its pages reused (about -3 MiB).
                options.add("-Xms8m");
            }
        }
        options.addAll(ALWAYS);
        if (ArchivesInPlace.ACCEPTED) {
            options.addAll(MAP_ARCHIVES_IN_PLACE);
        }
        if (Runtime.version().feature() >= 22) {
            // JNA calls System.load; from JDK 24 on that warns on stderr unless native access is granted. Here, not
            // beside the archive: an AOT cache trained without it is refused by a JVM started with it.
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        if (!matchesAny(theirs.stream(), COMPILERS)) {
            // With C1 alone one compiler thread keeps up; the second one cost a child about 20 ms of CPU.
            options.add("-XX:CICompilerCount=1");
        }
        if (!matchesAny(theirs.stream(), COMPILE_THRESHOLDS)) {
            options.add(COMPILE_LATER);
        }
        return options;
    }

    /** Known on the JDKs nsjunit was measured on; probed once on a later one, which may have dropped it. */
    private static final class ArchivesInPlace {
        static final boolean ACCEPTED = Runtime.version().feature() <= RELOCATION_MODE_KNOWN_UNTIL
                || JvmOptionProbe.accepts(MAP_ARCHIVES_IN_PLACE);
    }

    private static boolean matchesAny(Stream<String> options, Pattern pattern) {
        return options.anyMatch(option -> pattern.matcher(option).matches());
    }
}
