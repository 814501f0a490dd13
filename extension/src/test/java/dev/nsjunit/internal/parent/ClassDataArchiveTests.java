package dev.nsjunit.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nsjunit.internal.child.ChildBooter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data archive is trained for real, rebuilt when a jar changes, and never fatal. */
class ClassDataArchiveTests {

    private static final List<String> OPTIONS = LeanJvmOptions.forChild(List.of(), Map.of());

    @TempDir
    Path temp;

    /** nsjunit's classes as a jar (in this build they are a directory), then every jar of the test classpath. */
    private List<String> jars() throws Exception {
        Path classes = Paths.get(ChildBooter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path nsjunit = temp.resolve("nsjunit.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(nsjunit));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
        List<String> jars = new ArrayList<>(List.of(nsjunit.toString()));
        for (String entry : ChildClasspath.expanded(ChildClasspath.of(ClassLoader.getSystemClassLoader()))) {
            if (Files.isRegularFile(Paths.get(entry)) && !entry.contains("surefire")) {
                jars.add(entry);
            }
        }
        return jars;
    }

    @Test
    @DisplayName("is trained once from the jars, and a changed jar gives a new archive")
    void trainsAndRetrainsWhenAJarChanges() throws Exception {
        List<String> jars = jars();
        Path cache = temp.resolve("cache");

        Path first = ClassDataArchive.forJars(jars, OPTIONS, cache).orElseThrow();
        assertThat(first).isRegularFile().hasParent(cache);
        assertThat(Files.size(first)).isGreaterThan(100_000);
        assertThat(ClassDataArchive.forJars(jars, OPTIONS, cache)).contains(first);

        Path nsjunit = Paths.get(jars.get(0));
        Files.setLastModifiedTime(nsjunit, FileTime.fromMillis(Files.getLastModifiedTime(nsjunit).toMillis() + 5000));
        Path second = ClassDataArchive.forJars(jars, OPTIONS, cache).orElseThrow();

        assertThat(second).isNotEqualTo(first).isRegularFile();
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
    }

    @Test
    @DisplayName("on JDK 25 and later, an AOT cache is trained once from the jars and a child's classes come from it")
    void aotCacheOnJdk25() throws Exception {
        Path jdk = jdkWithAotCache();
        List<String> jars = jars();
        Path cache = temp.resolve("cache");

        List<String> first = onJdk(jdk, probe(cache, jars));
        Path archive = Paths.get(first.get(0));
        FileTime trained = Files.getLastModifiedTime(archive);
        List<String> second = onJdk(jdk, probe(cache, jars));

        assertThat(archive.getFileName().toString()).endsWith(".aot");
        // Temurin 25 has the diagnostic option that turns the training run's profiles off; the child below runs
        // with it and still takes its classes from the cache.
        assertThat(first).containsSubsequence(ClassDataArchive.NO_TRAINING_REPLAY);
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);
        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(trained);
        List<String> child = new ArrayList<>(OPTIONS);
        child.addAll(first.subList(1, first.size()));
        child.add("--enable-native-access=ALL-UNNAMED"); // as LeanJvmOptions on JDK 25 gave to the training run
        child.addAll(List.of("-Xlog:class+load", "-cp",
                String.join(File.pathSeparator, jars), ChildBooter.class.getName(), ChildBooter.WARM_UP));
        assertThat(onJdk(jdk, child))
                .anyMatch(line -> line.contains(" " + ChildBooter.class.getName() + " source: shared objects file"));
    }

    @Test
    @DisplayName("before JDK 25, a child gets a dynamic archive and no AOT option")
    void dynamicArchiveBeforeJdk25() {
        assumeTrue(Runtime.version().feature() < ClassDataArchive.AOT_CACHE_FEATURE, "this JVM has AOT caches");

        assertThat(ClassDataArchive.childOptions(temp.resolve("child.jsa")))
                .contains("-XX:SharedArchiveFile=" + temp.resolve("child.jsa"))
                .noneMatch(option -> option.contains("AOT") || option.contains("Diagnostic"));
    }

    @Test
    @DisplayName("on JDK 25 and later, a JVM given a damaged AOT cache starts anyway, silently")
    void damagedAotCacheIsNotFatal() throws Exception {
        Path jdk = jdkWithAotCache();
        Path damaged = temp.resolve("damaged.aot");
        Files.writeString(damaged, "not a cache");
        List<String> command = new ArrayList<>(OPTIONS);
        command.addAll(List.of("-XX:AOTCache=" + damaged, "-Xlog:aot=off", "-Xlog:cds=off", "-version"));

        assertThat(String.join("\n", onJdk(jdk, command))).doesNotContainIgnoringCase("warning")
                .doesNotContainIgnoringCase("error");
    }

    /** This JVM if it has AOT caches, else a Temurin 25 where ci/jdk25 finds one; the test is skipped without. */
    private static Path jdkWithAotCache() throws IOException {
        if (Runtime.version().feature() >= ClassDataArchive.AOT_CACHE_FEATURE) {
            return Paths.get(System.getProperty("java.home"));
        }
        Path jvms = Paths.get("/usr/lib/jvm");
        try (Stream<Path> installed = Files.isDirectory(jvms) ? Files.list(jvms) : Stream.empty()) {
            Optional<Path> newest = installed.filter(p -> p.getFileName().toString().startsWith("temurin-25"))
                    .filter(p -> Files.isExecutable(p.resolve("bin/java"))).findFirst();
            assumeTrue(newest.isPresent(), "no JDK 25 here to train an AOT cache with");
            return newest.get();
        }
    }

    private List<String> probe(Path cache, List<String> jars) {
        List<String> command = new ArrayList<>(List.of("-cp", String.join(File.pathSeparator, testClasspath()),
                AotCacheProbe.class.getName(), cache.toString()));
        command.addAll(jars);
        return command;
    }

    private static List<String> testClasspath() {
        return ChildClasspath.expanded(ChildClasspath.of(ClassLoader.getSystemClassLoader()));
    }

    /** Runs {@code java} of {@code jdk} with {@code arguments}; its output lines, or a failure with them. */
    private static List<String> onJdk(Path jdk, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/java").toString()));
        command.addAll(arguments);
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        return output.lines().collect(Collectors.toList());
    }

    @Test
    @DisplayName("a JVM given a damaged archive starts anyway, silently (-Xshare:auto with cds logging off)")
    void damagedArchiveIsNotFatal() throws IOException, InterruptedException {
        Path damaged = temp.resolve("damaged.jsa");
        try (OutputStream out = Files.newOutputStream(damaged)) {
            out.write("not an archive".getBytes());
        }
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(OPTIONS);
        command.addAll(List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + damaged, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());

        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("error");
    }

    @Test
    @DisplayName("a jar list that cannot be trained (no nsjunit in it) gives no archive, not a failure")
    void untrainableGivesNone() {
        assertThat(ClassDataArchive.forJars(List.of(), OPTIONS, temp)).isEmpty();
    }
}
