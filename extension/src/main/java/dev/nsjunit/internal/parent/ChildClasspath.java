package dev.nsjunit.internal.parent;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The child's classpath: this JVM's {@code java.class.path}, plus whatever the loaders of the test class add on
 * top of it. Most runners put tests on the system classpath (Surefire, as one manifest-only jar that lists the
 * real classpath); some load them through a class loader of their own (the JUnit Console Launcher's
 * {@code --class-path}), which {@code java.class.path} does not show.
 */
final class ChildClasspath {

    private ChildClasspath() {
    }

    static List<String> of(ClassLoader testClassLoader) {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        List<ClassLoader> chain = new ArrayList<>();
        for (ClassLoader loader = testClassLoader; loader != null; loader = loader.getParent()) {
            chain.add(0, loader); // parents first, as they are searched first
        }
        for (ClassLoader loader : chain) {
            if (loader instanceof URLClassLoader urlLoader) {
                for (URL url : urlLoader.getURLs()) {
                    toPath(url).ifPresent(entries::add);
                }
            }
        }
        return new ArrayList<>(entries);
    }

    /**
     * The same classpath with every entry absolute, entries that do not exist dropped, and each manifest-only jar
     * (Surefire's booter jar) replaced by the entries its manifest's {@code Class-Path} lists.
     */
    static List<String> expanded(List<String> classpath) {
        Set<String> expanded = new LinkedHashSet<>();
        for (String entry : classpath) {
            Path path = Paths.get(entry).toAbsolutePath().normalize();
            if (!Files.exists(path)) {
                continue;
            }
            if (Files.isRegularFile(path) && path.toString().endsWith(".jar")) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    boolean hasClasses = jar.stream().anyMatch(e -> e.getName().endsWith(".class"));
                    List<String> listed = manifestClassPath(jar, path);
                    if (hasClasses || listed.isEmpty()) {
                        expanded.add(path.toString());
                    }
                    expanded.addAll(expanded(listed));
                } catch (IOException unreadable) {
                    expanded.add(path.toString());
                }
            } else {
                expanded.add(path.toString());
            }
        }
        return new ArrayList<>(expanded);
    }

    private static List<String> manifestClassPath(JarFile jar, Path location) throws IOException {
        Manifest manifest = jar.getManifest();
        String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        List<String> entries = new ArrayList<>();
        if (classPath != null) {
            URI base = location.getParent().toUri();
            for (String relative : classPath.trim().split("\\s+")) {
                try {
                    entries.add(Paths.get(base.resolve(relative)).toString());
                } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException notAFile) {
                    // Only local files can be on a child's command line.
                }
            }
        }
        return entries;
    }

    private static Optional<String> toPath(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Paths.get(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
