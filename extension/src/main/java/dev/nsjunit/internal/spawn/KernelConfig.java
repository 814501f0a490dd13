package dev.nsjunit.internal.spawn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/** The running kernel's build configuration, where the kernel or the distribution publishes it. */
record KernelConfig(String source, Map<String, String> options) {

    private static final Pattern OPTION = Pattern.compile("(CONFIG_[A-Z0-9_]+)=(.*)");

    /** From /proc/config.gz (CONFIG_IKCONFIG_PROC), else /boot/config-RELEASE; empty if neither can be read. */
    static Optional<KernelConfig> read(String release) {
        Path proc = Path.of("/proc/config.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(proc))) {
            return Optional.of(parse(proc.toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // Not built with CONFIG_IKCONFIG_PROC: distributions ship the file in /boot instead.
        }
        Path boot = Path.of("/boot", "config-" + release);
        try {
            return Optional.of(parse(boot.toString(), Files.readString(boot)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static KernelConfig parse(String source, String text) {
        return new KernelConfig(source, text.lines().map(OPTION::matcher).filter(Matcher::matches)
                .collect(Collectors.toMap(m -> m.group(1), m -> m.group(2), (a, b) -> b)));
    }

    /** The option's value ("y", "m", a number or string), empty where it is not set. */
    Optional<String> value(String option) {
        return Optional.ofNullable(options.get(option));
    }
}
