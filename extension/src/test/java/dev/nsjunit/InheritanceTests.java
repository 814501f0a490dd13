package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.fixtures.Marks;
import dev.nsjunit.fixtures.ModulePathTestCase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a child takes over from its parent JVM's command line. */
class InheritanceTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("a test JVM started with a module path gives its children the same module path and modules")
    void modulePath() throws Exception {
        Path moduleJar = buildProbeModule();
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path=" + moduleJar, "--add-modules=nsjunit.probe",
                "-D" + Marks.FILE_PROPERTY + "=" + temp.resolve("marks.txt"),
                "-cp", System.getProperty("java.class.path"), FixtureMain.class.getName(),
                ModulePathTestCase.class.getName()).redirectErrorStream(true).start();
        String output = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).contains("RESULT seesTheModule() SUCCESSFUL");
        assertThat(Files.readString(temp.resolve("marks.txt"))).startsWith("module ");
    }

    private Path buildProbeModule() throws Exception {
        Path sources = Files.createDirectories(temp.resolve("src/nsjunit/probe"));
        Files.writeString(temp.resolve("src/module-info.java"), "module nsjunit.probe { exports nsjunit.probe; }");
        Files.writeString(sources.resolve("Probe.java"), "package nsjunit.probe; public class Probe { }");
        Path classes = temp.resolve("classes");
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                temp.resolve("src/module-info.java").toString(), sources.resolve("Probe.java").toString());
        assertThat(compiled).isZero();
        Path jar = temp.resolve("probe.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
