package dev.nsjunit.internal.parent;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * System properties that spare each child JVM two costs of loading JNA: unpacking its native library
 * ({@code libjnidispatch}) from the jar into a new temporary file, and running {@code ldconfig -p} to learn the
 * platform's library directories. The library is unpacked once per JNA build into the cache directory and named
 * in {@code jna.boot.library.path}; the directories are this JVM's own {@code jna.platform.library.path}. Both only
 * speed the child up: a library the child cannot load from there is unpacked by JNA as usual.
 */
final class JnaBootOptions {

    static final String BOOT_LIBRARY_PATH = "jna.boot.library.path";
    static final String PLATFORM_LIBRARY_PATH = "jna.platform.library.path";

    private static final Map<Path, List<String>> KNOWN = new ConcurrentHashMap<>();

    private JnaBootOptions() {
    }

    /**
     * The {@code -D} options for a child whose classpath is {@code expandedClasspath}; none if the child would load
     * another JNA than this JVM (its native library might not match), or if nothing can be had.
     */
    static List<String> forChild(List<String> expandedClasspath, Path cacheDirectory) {
        Optional<String> jnaJar = location();
        if (jnaJar.isEmpty() || !expandedClasspath.contains(jnaJar.get())) {
            return List.of();
        }
        return KNOWN.computeIfAbsent(cacheDirectory, JnaBootOptions::options);
    }

    private static List<String> options(Path cacheDirectory) {
        List<String> options = new ArrayList<>();
        unpacked(cacheDirectory).ifPresent(dir -> options.add("-D" + BOOT_LIBRARY_PATH + "=" + dir));
        // NativeLibrary's class initialisation sets the property (running ldconfig) where it was not set.
        NativeLibrary.getProcess();
        String platformPath = System.getProperty(PLATFORM_LIBRARY_PATH);
        if (platformPath != null) {
            options.add("-D" + PLATFORM_LIBRARY_PATH + "=" + platformPath);
        }
        return List.copyOf(options);
    }

    /** The directory that holds this JNA's native library, unpacked; named by the library's hash. */
    static Optional<Path> unpacked(Path cacheDirectory) {
        String resource = "/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("jnidispatch");
        try (InputStream in = Native.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty(); // an installed JNA without the embedded library: it knows where its own is
            }
            byte[] library = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(library), 0, 12);
            Path directory = cacheDirectory.resolve("jna-" + hash);
            Path file = directory.resolve(System.mapLibraryName("jnidispatch"));
            if (!Files.isRegularFile(file) || Files.size(file) != library.length) {
                Files.createDirectories(directory);
                Path partial = Files.createTempFile(directory, "jnidispatch", ".partial");
                Files.write(partial, library);
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(directory);
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return Optional.empty(); // children unpack it themselves, as without nsjunit
        }
    }

    private static Optional<String> location() {
        try {
            return Optional.of(Paths.get(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath().normalize().toString());
        } catch (URISyntaxException | RuntimeException unknown) {
            return Optional.empty();
        }
    }
}
