package dev.nsjunit.internal.parent;

import dev.nsjunit.internal.child.ChildBooter;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command line of a child JVM: this JVM's {@code java} binary and the test's classpath, the options of this
 * JVM that a test may rely on, and lean defaults for a JVM that runs one test.
 */
final class ChildJvmCommand {

    /**
     * The kernel refuses one argument over 128 KiB (MAX_ARG_STRLEN) with E2BIG; a longer classpath goes to the JVM
     * in an argument file instead.
     */
    private static final int LONGEST_ARGUMENT = 100_000;

    private static final Map<List<Object>, Prepared> PREPARED = new ConcurrentHashMap<>();

    private ChildJvmCommand() {
    }

    private static Path argumentFile(String classpath, Path directory) {
        String quoted = "\"" + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        String content = "-cp\n" + quoted + "\n";
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("classpath-" + Integer.toHexString(content.hashCode()) + ".args");
            if (!Files.isRegularFile(file) || !Files.readString(file).equals(content)) {
                Path partial = Files.createTempFile(directory, "classpath", ".partial");
                Files.writeString(partial, content);
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return file;
        } catch (IOException e) {
            throw new ChildJvmException("cannot write the child's classpath (" + classpath.length() + " characters, "
                    + "too long for one argument) to an argument file in " + directory + ": " + e.getMessage()
                    + "; set nsjunit.cache.dir to a writable directory", e);
        }
    }

    /** This JVM's own {@code java}: what children, the archive's training run and option probes start. */
    static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    static List<String> build(Settings settings, ClassLoader testClassLoader) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        List<String> userOptions = new ArrayList<>(inheritedOptions(
                ManagementFactory.getRuntimeMXBean().getInputArguments()));
        userOptions.addAll(settings.childJvmArgs());
        command.addAll(LeanJvmOptions.forChild(userOptions, System.getenv()));
        Prepared prepared = prepared(ChildClasspath.of(testClassLoader), settings);
        // Before what the child inherits and the user's options, so that an option of theirs wins.
        command.addAll(prepared.jnaOptions());
        if (userOptions.stream().noneMatch(ChildJvmCommand::choosesClassSharing)) {
            command.addAll(prepared.archiveOptions());
        }
        command.addAll(userOptions);
        settings.debugPort().ifPresent(port -> command.add(
                "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=*:" + port));
        String joined = String.join(File.pathSeparator, prepared.classpath());
        if (joined.length() > LONGEST_ARGUMENT) {
            command.add("@" + argumentFile(joined, settings.cacheDirectory()));
        } else {
            command.add("-cp");
            command.add(joined);
        }
        command.add(ChildBooter.class.getName());
        return command;
    }

    /**
     * What a classpath needs on the child's command line: JNA's boot options and the class-data archive, if one
     * can be had, with the classpath in the order the archive needs. Worked out once per classpath in this JVM: it
     * opens every jar and hashes them all, too much to repeat for each test. (A jar rebuilt during the run is
     * noticed by the next run.)
     */
    private static Prepared prepared(List<String> classpath, Settings settings) {
        List<Object> key = List.of(classpath, settings.cacheDirectory(), settings.classDataArchive());
        Prepared prepared = PREPARED.get(key);
        if (prepared == null) {
            List<String> expanded = ChildClasspath.expanded(classpath);
            List<String> jna = JnaBootOptions.forChild(expanded, settings.cacheDirectory());
            Archived archived = settings.classDataArchive()
                    ? archived(classpath, expanded, settings.cacheDirectory()) : new Archived(List.of(), classpath);
            prepared = new Prepared(jna, archived.options(), archived.classpath());
            PREPARED.put(key, prepared);
        }
        return prepared;
    }

    /** What a classpath adds to a child's command line, and the classpath in the order the archive needs. */
    private record Prepared(List<String> jnaOptions, List<String> archiveOptions, List<String> classpath) {
    }

    /** The archive's options and the classpath in the order it needs. */
    private record Archived(List<String> options, List<String> classpath) {
    }

    /**
     * An option of the user's about class-data sharing: theirs wins, and on JDK 25 {@code -XX:AOTCache} and any
     * {@code -Xshare} option together stop a JVM from starting.
     */
    private static boolean choosesClassSharing(String option) {
        return option.startsWith("-Xshare:") || option.startsWith("-XX:SharedArchiveFile=")
                || option.startsWith("-XX:AOT") || option.startsWith("-XX:ArchiveClassesAtExit=");
    }

    /**
     * The class-data archive's options and the classpath it needs: the jars it was trained on, then the
     * directories, which an archive cannot hold. (A class in both a directory and a jar would now come from the
     * jar; turn the archive off with nsjunit.child.archive=false if a test relies on the opposite.)
     */
    private static Archived archived(List<String> classpath, List<String> expanded, Path cacheDirectory) {
        List<String> jars = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        for (String entry : expanded) {
            (Files.isDirectory(Paths.get(entry)) ? directories : jars).add(entry);
        }
        // The archive is trained on jars, so nsjunit's own classes must come from one (in nsjunit's own build they
        // are a directory, and its children start without an archive).
        Optional<Path> archive = jars.contains(nsjunitLocation())
                ? ClassDataArchive.forJars(jars, LeanJvmOptions.forChild(List.of(), Map.of()), cacheDirectory)
                : Optional.empty();
        if (archive.isEmpty()) {
            return new Archived(List.of(), classpath);
        }
        List<String> ordered = new ArrayList<>(jars);
        ordered.addAll(directories);
        return new Archived(ClassDataArchive.childOptions(archive.get()), ordered);
    }

    private static String nsjunitLocation() {
        try {
            return Paths.get(ChildBooter.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath().normalize().toString();
        } catch (URISyntaxException | RuntimeException unknown) {
            return "";
        }
    }

    /**
     * The options of this JVM that change what a test sees: system properties, agents (a coverage agent must see
     * the code run in the child), assertions, heap options, and the module path with the other module options.
     * A debugger agent is left out: its port is this JVM's.
     */
    static List<String> inheritedOptions(List<String> inputArguments) {
        List<String> inherited = new ArrayList<>();
        for (String option : inputArguments) {
            boolean debugger = option.startsWith("-agentlib:jdwp") || option.startsWith("-Xrunjdwp");
            if (!debugger && (option.startsWith("-D") || option.startsWith("-javaagent:")
                    || option.startsWith("-agentpath:") || option.startsWith("-agentlib:")
                    || option.startsWith("-ea") || option.startsWith("-enableassertions")
                    || option.startsWith("-da") || option.startsWith("-disableassertions")
                    || option.startsWith("-Xmx") || option.startsWith("-Xms") || option.startsWith("-Xss")
                    || option.startsWith("--add-") || option.equals("--enable-preview")
                    || option.startsWith("--module-path") || option.startsWith("--upgrade-module-path")
                    || option.startsWith("--limit-modules") || option.startsWith("--patch-module")
                    || option.startsWith("--enable-native-access"))) {
                inherited.add(option);
            }
        }
        return inherited;
    }
}
