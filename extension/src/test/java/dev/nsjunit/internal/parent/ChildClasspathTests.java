package dev.nsjunit.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildClasspathTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("adds what a runner's own class loader holds to java.class.path, once, parents first")
    void addsTheTestLoadersUrls() throws Exception {
        Path outer = temp.resolve("outer.jar");
        Path inner = temp.resolve("inner classes");
        String systemClasspath = System.getProperty("java.class.path");
        try (URLClassLoader parent = new URLClassLoader(new URL[] {outer.toUri().toURL()},
                ClassLoader.getSystemClassLoader());
                URLClassLoader child = new URLClassLoader(new URL[] {inner.toUri().toURL(), outer.toUri().toURL(),
                        new URL("https://example.invalid/remote.jar")}, parent)) {

            String[] entries = ChildClasspath.of(child).toArray(new String[0]);

            assertThat(Arrays.asList(entries)).startsWith(systemClasspath.split(File.pathSeparator))
                    .endsWith(outer.toString(), inner.toString())
                    .doesNotHaveDuplicates()
                    .noneMatch(e -> e.contains("example.invalid"));
        }
    }

    @Test
    @DisplayName("is java.class.path alone when tests sit on the system classpath")
    void systemClasspathAlone() {
        assertThat(ChildClasspath.of(ClassLoader.getSystemClassLoader()))
                .containsExactly(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(e -> !e.isEmpty()).distinct().toArray(String[]::new));
    }
}
