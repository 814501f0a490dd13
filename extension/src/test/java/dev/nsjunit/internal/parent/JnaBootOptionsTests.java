package dev.nsjunit.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.sun.jna.Native;
import dev.nsjunit.FixtureRunner;
import dev.nsjunit.fixtures.JnaLoadTestCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JNA's native library is unpacked once for all children, and children load it from there. */
class JnaBootOptionsTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("unpacks JNA's native library once into the cache directory and reuses it afterwards")
    void unpacksOnce() throws Exception {
        Path cache = temp.resolve("cache");

        Path first = JnaBootOptions.unpacked(cache).orElseThrow();
        Path library = first.resolve(System.mapLibraryName("jnidispatch"));
        BasicFileAttributes before = Files.readAttributes(library, BasicFileAttributes.class);
        Path second = JnaBootOptions.unpacked(cache).orElseThrow();
        BasicFileAttributes after = Files.readAttributes(library, BasicFileAttributes.class);

        assertThat(second).isEqualTo(first).hasParent(cache);
        assertThat(first.getFileName().toString()).startsWith("jna-");
        assertThat(Files.size(library)).isGreaterThan(10_000);
        assertThat(after.fileKey()).isEqualTo(before.fileKey());
        assertThat(after.lastModifiedTime()).isEqualTo(before.lastModifiedTime());
    }

    @Test
    @DisplayName("names the unpacked library and this JVM's platform library path for a child with the same JNA")
    void optionsForAChildWithThisJna() throws Exception {
        String jna = Paths.get(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();

        List<String> options = JnaBootOptions.forChild(List.of(jna), temp);

        assertThat(options).anyMatch(o -> o.startsWith("-Djna.boot.library.path=" + temp.resolve("jna-")))
                .anyMatch(o -> o.startsWith("-Djna.platform.library.path="));
    }

    @Test
    @DisplayName("gives no options for a child that would load another JNA than this JVM's")
    void noOptionsForAnotherJna() {
        assertThat(JnaBootOptions.forChild(List.of("/elsewhere/jna-4.0.0.jar"), temp)).isEmpty();
    }

    @Test
    @DisplayName("a child loads JNA's native library from the cache directory instead of unpacking it")
    void childLoadsTheUnpackedLibrary() {
        Path cache = temp.resolve("cache");
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.cache.dir", cache.toString());

        runner.run(selectClass(JnaLoadTestCase.class)).testEvents().assertStatistics(s -> s.succeeded(1));

        assertThat(runner.marks()).singleElement().asString()
                .startsWith("jnidispatch=" + cache.resolve("jna-"));
    }
}
