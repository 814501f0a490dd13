package dev.nsjunit.internal.parent;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@code nsjunit.*} configuration parameters, read once per test plan through JUnit's configuration
 * (junit-platform.properties, {@code -D}, the launcher request). A bad value fails fast with its key.
 */
record Settings(Duration childTimeout, boolean printIsolation, List<String> childJvmArgs) {

    static final String CHILD_TIMEOUT = "nsjunit.child.timeout";
    static final String REPORT_CONSOLE = "nsjunit.report.console";
    static final String CHILD_JVM_ARGS = "nsjunit.child.jvm.args";

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
        return new Settings(timeout, print, jvmArgs.equals(List.of("")) ? List.of() : jvmArgs);
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
