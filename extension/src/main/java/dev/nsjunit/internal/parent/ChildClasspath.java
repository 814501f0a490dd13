package dev.nsjunit.internal.parent;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The child's classpath: this JVM's {@code java.class.path}, plus whatever the loaders of the test class add on
 * top of it. Most runners put tests on the system classpath (Surefire, as one manifest-only jar that lists the
 * real classpath); some load them through a class loader of their own (the JUnit Console Launcher's
 * {@code --class-path}), which {@code java.class.path} does not show.
 */
final class ChildClasspath {

    private ChildClasspath() {
    }

    static String of(ClassLoader testClassLoader) {
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
        return String.join(File.pathSeparator, entries);
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
