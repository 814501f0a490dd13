package dev.nsjunit.internal.parent;

import dev.nsjunit.internal.child.ChildBooter;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A class-data archive of the classes every child JVM loads, so that a child maps them instead of loading,
 * verifying and linking them again: it roughly halves a child's start. On JDK 25 and later it is an AOT cache
 * (JEP 483, 514), which also keeps the classes linked and the warm-up's method profiles; before, a dynamic AppCDS
 * archive. Built once per JDK and set of jars, by running the child booter's warm-up with
 * {@code -XX:AOTCacheOutput} or {@code -XX:ArchiveClassesAtExit}, and kept in the cache directory; a change to the
 * JDK or to any jar gives it a new name. A missing or unusable archive never fails a test: children then start
 * without one, as they would with {@code nsjunit.child.archive=false}.
 *
 * <p>Two rules of the JDK shape this: an archive can only be dumped from a classpath without non-empty
 * directories, so it is trained on the jars alone and a child lists its directories after them; and only an
 * absolute classpath is checked correctly, so every entry is made absolute.
 */
final class ClassDataArchive {

    /** The first JDK whose AOT cache is trained in one run ({@code -XX:AOTCacheOutput}, JEP 514). */
    static final int AOT_CACHE_FEATURE = 25;

    /**
     * An AOT cache also keeps the method profiles of its training run (JEP 515). Replayed, they have a child's one
     * compiler thread compile, as classes initialise, much of what the warm-up found hot: a child that runs one test
     * spent about 30 ms (12%) more CPU on that than it saved (JDK 25, ci/bench's CPU table). The options are
     * diagnostic ones, given only where this JDK has them; an option of the user's comes later and wins.
     */
    static final List<String> NO_TRAINING_REPLAY = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:-AOTReplayTraining");

    private static final long TRAINING_LIMIT_SECONDS = 120;
    private static final Map<Path, Optional<Path>> KNOWN = new ConcurrentHashMap<>();

    private ClassDataArchive() {
    }

    /** The archive for {@code jars}, trained now if there is none yet; empty if none can be had. */
    static Optional<Path> forJars(List<String> jars, List<String> jvmOptions, Path cacheDirectory) {
        if (jars.isEmpty()) {
            return Optional.empty();
        }
        Path archive;
        try {
            archive = cacheDirectory.resolve("child-" + key(jars, jvmOptions) + (aotCache() ? ".aot" : ".jsa"));
        } catch (IllegalStateException vanished) {
            return Optional.empty(); // a jar went away under us: no archive this time, the test still runs
        }
        Optional<Path> known = KNOWN.get(archive);
        if (known != null) {
            return known;
        }
        synchronized (ClassDataArchive.class) {
            known = KNOWN.get(archive);
            if (known == null) {
                known = trainIfMissing(archive, jars, jvmOptions);
                if (!Thread.currentThread().isInterrupted()) { // an interrupt is no verdict: try again next time
                    KNOWN.put(archive, known);
                }
            }
            return known;
        }
    }

    /**
     * What a child's command line needs to use {@code archive}. An archive that does not match (a jar changed since)
     * only means no sharing; the JVM says so on stderr unless told not to, which is not worth a warning per test.
     */
    static List<String> childOptions(Path archive) {
        if (aotCache()) {
            List<String> options = new ArrayList<>(List.of("-XX:AOTCache=" + archive, "-Xlog:aot=off",
                    "-Xlog:cds=off"));
            if (NoTrainingReplay.ACCEPTED) {
                options.addAll(NO_TRAINING_REPLAY);
            }
            return List.copyOf(options);
        }
        return List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off");
    }

    /** Probed once, and only on a JDK with AOT caches. */
    private static final class NoTrainingReplay {
        static final boolean ACCEPTED = JvmOptionProbe.accepts(NO_TRAINING_REPLAY);
    }

    private static boolean aotCache() {
        return Runtime.version().feature() >= AOT_CACHE_FEATURE;
    }

    private static Optional<Path> trainIfMissing(Path archive, List<String> jars, List<String> jvmOptions) {
        try {
            Files.createDirectories(archive.getParent());
            Path lockFile = archive.resolveSibling(archive.getFileName() + ".lock");
            // Another test JVM (a second Surefire fork) may be training the same archive right now.
            try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = lock.lock()) {
                if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
                    train(archive, jars, jvmOptions);
                }
            }
            return Optional.of(archive);
        } catch (IOException | RuntimeException e) {
            System.err.println("nsjunit: no class-data archive for child JVMs (" + e.getMessage() + "); they start "
                    + "without one, which is slower. Set nsjunit.child.archive=false to stop trying.");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void train(Path archive, List<String> jars, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        Path log = archive.resolveSibling(archive.getFileName() + ".log");
        Files.deleteIfExists(partial);
        List<String> command = new ArrayList<>();
        command.add(ChildJvmCommand.javaExecutable());
        command.addAll(jvmOptions);
        // The AOT cache's training run starts a second JVM that writes the cache when the first one exits.
        command.add((aotCache() ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + partial);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, jars));
        command.add(ChildBooter.class.getName());
        command.add(ChildBooter.WARM_UP);
        Process training = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        boolean done;
        try {
            done = training.waitFor(TRAINING_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            training.destroyForcibly();
            throw e;
        }
        if (!done) {
            training.destroyForcibly().waitFor();
            throw new IOException("training the archive took over " + TRAINING_LIMIT_SECONDS + " s; see " + log);
        }
        if (training.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
            Files.deleteIfExists(partial);
            throw new IOException("training the archive failed with exit code " + training.exitValue() + "; see "
                    + log);
        }
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(log);
    }

    /**
     * Names the JDK, the options and each jar with its size and modification time: any change gives another archive
     * (an AOT cache is refused by a JVM whose module options differ from its training run's).
     */
    static String key(List<String> jars, List<String> jvmOptions) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            StringBuilder identity = new StringBuilder(System.getProperty("java.home")).append('\n')
                    .append(System.getProperty("java.vm.version")).append('\n').append(jvmOptions).append('\n');
            for (String jar : jars) {
                Path path = Paths.get(jar);
                identity.append(jar).append('|').append(Files.size(path)).append('|')
                        .append(Files.getLastModifiedTime(path).toMillis()).append('\n');
            }
            byte[] hash = digest.digest(identity.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot name the class-data archive: " + e.getMessage(), e);
        }
    }
}
