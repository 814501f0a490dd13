package dev.nsjunit.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.internal.child.ChildBooter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
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

    private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData", "-Xshare:auto");

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
        // JDK 25 on: an AOT cache; before: a dynamic CDS archive.
        assertThat(first.getFileName().toString())
                .endsWith(Runtime.version().feature() >= 25 ? ".aot" : ".jsa");
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
    @DisplayName("a JVM given a damaged archive starts anyway, silently (its logging off)")
    void damagedArchiveIsNotFatal() throws IOException, InterruptedException {
        ClassDataArchive.Kind kind = ClassDataArchive.Kind.current();
        Path damaged = temp.resolve("damaged" + (kind == ClassDataArchive.Kind.AOT_CACHE ? ".aot" : ".jsa"));
        try (OutputStream out = Files.newOutputStream(damaged)) {
            out.write("not an archive".getBytes());
        }
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString()));
        OPTIONS.stream().filter(o -> kind.allowsXshare() || !o.startsWith("-Xshare")).forEach(command::add);
        command.addAll(kind.useOptions(damaged));
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());

        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("error");
    }

    @Test
    @DisplayName("a child started with nsjunit's own options uses the archive without a mismatch")
    void childOptionsMatchTheTraining() throws Exception {
        List<String> jars = jars();
        List<String> options = ChildJvmCommand.ownOptions();
        Path archive = ChildJvmCommand.archiveFor(jars, temp.resolve("cache")).orElseThrow();
        ClassDataArchive.Kind kind = ClassDataArchive.Kind.current();

        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString()));
        options.stream().filter(o -> kind.allowsXshare() || !o.startsWith("-Xshare")).forEach(command::add);
        if (kind == ClassDataArchive.Kind.AOT_CACHE) {
            command.addAll(List.of("-XX:AOTCache=" + archive, "-Xlog:aot=info"));
        } else {
            command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=info"));
        }
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, jars), ChildBooter.class.getName(),
                ChildBooter.WARM_UP));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());

        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        // JDK 25 reports, for instance, "Mismatched values for property jdk.module.enable.native.access".
        assertThat(output).doesNotContain("[error").doesNotContainIgnoringCase("mismatch");
    }

    @Test
    @DisplayName("a jar list that cannot be trained (no nsjunit in it) gives no archive, not a failure")
    void untrainableGivesNone() {
        assertThat(ClassDataArchive.forJars(List.of(), OPTIONS, temp)).isEmpty();
    }
}
