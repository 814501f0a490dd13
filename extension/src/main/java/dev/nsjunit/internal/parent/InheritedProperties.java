package dev.nsjunit.internal.parent;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The system properties a child JVM takes over from this one: everything a build or test set, at start-up
 * ({@code -D}) or at run time (Surefire's {@code systemPropertyVariables}, a test's own {@code setProperty}), but
 * not what each JVM works out for itself (java.*, os.*, user.*, ...), which the child's JVM knows better.
 */
final class InheritedProperties {

    private static final List<String> JVM_OWNED_PREFIXES = List.of("java.", "jdk.", "sun.", "os.", "user.",
            "file.", "line.separator", "path.separator", "native.encoding", "stdout.encoding", "stderr.encoding");

    private InheritedProperties() {
    }

    static Map<String, String> current() {
        Properties properties = System.getProperties();
        Map<String, String> inherited = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (JVM_OWNED_PREFIXES.stream().noneMatch(key::startsWith)) {
                inherited.put(key, properties.getProperty(key));
            }
        }
        return inherited;
    }
}
