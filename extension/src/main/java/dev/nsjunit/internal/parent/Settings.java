package dev.nsjunit.internal.parent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@code nsjunit.*} configuration parameters, read once per test plan through JUnit's configuration
 * (junit-platform.properties, {@code -D}, the launcher request). A bad value fails fast with its key.
 */
record Settings(Duration childTimeout, boolean printIsolation, List<String> childJvmArgs, OptionalInt debugPort,
        boolean abortWhenUnavailable, boolean classDataArchive, Path cacheDirectory, int prespawn) {

    static final String CHILD_TIMEOUT = "nsjunit.child.timeout";
    static final String REPORT_CONSOLE = "nsjunit.report.console";
    static final String CHILD_JVM_ARGS = "nsjunit.child.jvm.args";
    static final String CHILD_DEBUG = "nsjunit.child.debug";
    static final String UNAVAILABLE = "nsjunit.unavailable";
    static final String CHILD_ARCHIVE = "nsjunit.child.archive";
    static final String CACHE_DIR = "nsjunit.cache.dir";
    static final String PRESPAWN = "nsjunit.child.prespawn";

    private static final Duration DEFAULT_CHILD_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    static Settings of(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(Settings.class));
        // get and put exist in JUnit 5.14 and 6 alike; a race only parses the same values twice.
        Settings settings = store.get(Settings.class, Settings.class);
        if (settings == null) {
            settings = read(context);
            store.put(Settings.class, settings);
        }
        return settings;
    }

    private static Settings read(ExtensionContext context) {
        Duration timeout = context.getConfigurationParameter(CHILD_TIMEOUT)
                .map(value -> parseDuration(CHILD_TIMEOUT, value)).orElse(DEFAULT_CHILD_TIMEOUT);
        boolean print = context.getConfigurationParameter(REPORT_CONSOLE)
                .map(value -> parseBoolean(REPORT_CONSOLE, value)).orElse(false);
        List<String> jvmArgs = context.getConfigurationParameter(CHILD_JVM_ARGS)
                .map(value -> Arrays.asList(value.trim().split("\\s+"))).orElse(List.of());
        OptionalInt debugPort = context.getConfigurationParameter(CHILD_DEBUG)
                .map(value -> OptionalInt.of(parsePort(CHILD_DEBUG, value))).orElse(OptionalInt.empty());
        boolean abort = context.getConfigurationParameter(UNAVAILABLE)
                .map(value -> parseChoice(UNAVAILABLE, value, "fail", "abort").equals("abort")).orElse(false);
        boolean archive = context.getConfigurationParameter(CHILD_ARCHIVE)
                .map(value -> parseBoolean(CHILD_ARCHIVE, value)).orElse(true);
        Path cache = context.getConfigurationParameter(CACHE_DIR).map(value -> Paths.get(value).toAbsolutePath())
                .orElseGet(Settings::defaultCacheDirectory);
        int prespawn = context.getConfigurationParameter(PRESPAWN).map(value -> parsePrespawn(PRESPAWN, value))
                .orElse(defaultPrespawn());
        return new Settings(timeout, print, jvmArgs.equals(List.of("")) ? List.of() : jvmArgs, debugPort, abort,
                archive, cache, debugPort.isPresent() ? 0 : prespawn);
    }

    /**
     * One waiting child per core but the one the running test's child needs, and at least one. Each waiting child
     * costs a JVM start and a JUnit run; those still waiting when the run ends are killed unused, and while
     * they boot they compete with the running test for the CPU: on 2 cores, ci/bench measured 2 waiting children
     * slower than 1 (JDK 17: 5.69 against 4.86 s for 20 tests; JDK 25: 4.81 against 4.43 s).
     */
    static int defaultPrespawn() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** {@code true} (the default number of waiting children), {@code false} (none), or a number of them. */
    static int parsePrespawn(String key, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("true")) {
            return defaultPrespawn();
        }
        if (text.equals("false")) {
            return 0;
        }
        try {
            int count = Integer.parseInt(text);
            if (count >= 0 && count <= 64) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ExtensionConfigurationException(key + " = \"" + value + "\" is neither true, false nor a number "
                + "of children from 0 to 64 to keep started ahead of their tests.");
    }

    /** The build's output directory where there is one (Maven's target/), so that a clean removes it too. */
    private static Path defaultCacheDirectory() {
        Path target = Paths.get(System.getProperty("user.dir"), "target");
        if (Files.isDirectory(target)) {
            return target.resolve("nsjunit-cache").toAbsolutePath();
        }
        return Paths.get(System.getProperty("java.io.tmpdir"), "nsjunit-cache-" + System.getProperty("user.name"))
                .toAbsolutePath();
    }

    static int parsePort(String key, String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below with the key.
        }
        throw new ExtensionConfigurationException(key + " = '" + value + "' is not a TCP port; use a number from 1 "
                + "to 65535, the port a debugger attaches to.");
    }

    static String parseChoice(String key, String value, String... choices) {
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        if (Arrays.asList(choices).contains(normalized)) {
            return normalized;
        }
        throw new ExtensionConfigurationException(key + " = '" + value + "' is not one of "
                + String.join(", ", choices) + ".");
    }

    static Duration parseDuration(String key, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Matcher simple = SIMPLE_DURATION.matcher(text);
        try {
            Duration duration;
            if (simple.matches()) {
                long amount = Long.parseLong(simple.group(1));
                switch (simple.group(2)) {
                    case "ms": duration = Duration.ofMillis(amount); break;
                    case "s": duration = Duration.ofSeconds(amount); break;
                    case "m": duration = Duration.ofMinutes(amount); break;
                    default: duration = Duration.ofHours(amount); break;
                }
            } else {
                duration = Duration.parse(value.trim());
            }
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // Reported below with the key.
        }
        throw new ExtensionConfigurationException(key + " = '" + value + "' is not a positive duration; write it "
                + "like 90s, 5m, 1h, 500ms or as ISO-8601 (PT90S).");
    }

    static boolean parseBoolean(String key, String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default:
                throw new ExtensionConfigurationException(key + " = '" + value + "' is not a boolean; use true or "
                        + "false.");
        }
    }
}
