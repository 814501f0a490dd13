package dev.nsjunit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nsjunit.internal.parent.InNamespaceExtension;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the library's class files must not link through {@code invokedynamic}, because the test JVM would spin
 * method-handle classes for it at the first isolated test, enough that its JIT compiles the JDK's class writer
 * (docs/performance.md). The names are looked for in the class files' constant pools.
 */
class LibraryBytecodeTests {

    @Test
    @DisplayName("no class of the library concatenates strings through StringConcatFactory")
    void noIndyStringConcatenation() throws IOException, URISyntaxException {
        assertThat(classesReferring("java/lang/invoke/StringConcatFactory"))
                .as("classes compiled without -XDstringConcat=inline (from before the option? mvn clean)").isEmpty();
    }

    @Test
    @DisplayName("the child pool's key, compared for every isolated test, has its own equals and hashCode")
    void poolKeyComparesWithoutObjectMethods() throws IOException, URISyntaxException {
        assertThat(classesReferring("java/lang/runtime/ObjectMethods"))
                .noneMatch(name -> name.endsWith("ChildPool$Key.class"));
    }

    private static List<String> classesReferring(String internalName) throws IOException, URISyntaxException {
        Path classes = Path.of(InNamespaceExtension.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(classes).as("the library's classes, compiled by this build").isDirectory();
        byte[] name = internalName.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(classes)) {
            List<Path> classFiles = files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList());
            assertThat(classFiles).hasSizeGreaterThan(50);
            return classFiles.stream().filter(f -> contains(read(f), name)).map(f -> classes.relativize(f).toString())
                    .collect(Collectors.toList());
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
