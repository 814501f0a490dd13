package dev.nsjunit.internal.doctor;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.spawn.HostCheck;
import dev.nsjunit.internal.spawn.HostChecks;
import dev.nsjunit.internal.spawn.NamespaceProbe;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What this machine lets this user do with nsjunit: each namespace type tried for real, as this user and with
 * {@code user = true}, and the machine's facts behind any refusal, each "no" with its cause and fix.
 */
public final class DoctorReport {

    /** The errno name of a failure message, as SpawnFailureAdvice words them: "... failed: EPERM (1) — ...". */
    private static final Pattern ERRNO = Pattern.compile(
            "(?:failed|would fail)(?: in the child)?: ([A-Z][A-Z0-9]+) \\(\\d+\\)");

    /** One type's two tries; empty is success, otherwise what failed and why. */
    record TypeResult(NamespaceType type, Optional<String> alone, Optional<String> withUser) {

        boolean works() {
            return alone.isEmpty() || withUser.isEmpty();
        }
    }

    private final String who;
    private final List<TypeResult> types;
    private final List<HostCheck> checks;

    DoctorReport(String who, List<TypeResult> types, List<HostCheck> checks) {
        this.who = who;
        this.types = types;
        this.checks = checks;
    }

    /** Tries every type both ways, and reads the machine's facts. Takes a few milliseconds per child. */
    public static DoctorReport examine() {
        return examine(NamespaceProbe::tryTypes);
    }

    static DoctorReport examine(Function<EnumSet<NamespaceType>, Optional<String>> probe) {
        List<TypeResult> results = new ArrayList<>();
        for (NamespaceType type : NamespaceType.values()) {
            Optional<String> alone = probe.apply(EnumSet.of(type));
            Optional<String> withUser = type == NamespaceType.USER ? alone
                    : probe.apply(EnumSet.of(type, NamespaceType.USER));
            results.add(new TypeResult(type, alone, withUser));
        }
        String who = "uid " + dev.nsjunit.internal.libc.LibC.INSTANCE.getuid() + " ("
                + System.getProperty("user.name") + ")";
        return new DoctorReport(who, results, HostChecks.all());
    }

    /** 0 when every type works for this user, as it is or with {@code user = true}; 1 otherwise. */
    public int exitCode() {
        return types.stream().allMatch(TypeResult::works) ? 0 : 1;
    }

    /** The report as the doctor prints it: the type table, the machine's facts, and what to change. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("nsjunit doctor: what this machine lets ").append(who).append(" do, on Linux ")
                .append(System.getProperty("os.version")).append(' ').append(System.getProperty("os.arch"))
                .append(", Java ").append(System.getProperty("java.version")).append("\n\n");
        List<String> fixes = new ArrayList<>();
        out.append(pad("namespace", 11)).append(pad("as this user", 22)).append("with user = true\n");
        for (TypeResult result : types) {
            out.append(pad(result.type().toString(), 11))
                    .append(pad(cell(result.alone(), result.type() + " as this user", fixes), 22))
                    .append(result.type() == NamespaceType.USER ? "(the same)"
                            : cell(result.withUser(), result.type() + " with user = true", fixes))
                    .append('\n');
        }
        out.append("\nthis machine\n");
        for (HostCheck check : checks) {
            out.append("  ").append(pad(verdict(check.verdict()), 8)).append(pad(check.what(), 64))
                    .append(check.found()).append('\n');
            if (check.verdict() == HostCheck.Verdict.NO) {
                fixes.add(check.what() + ": " + check.advice());
            }
        }
        if (!fixes.isEmpty()) {
            out.append("\nwhat to change\n");
            for (int i = 0; i < fixes.size(); i++) {
                out.append("  [").append(i + 1).append("] ").append(fixes.get(i)).append('\n');
            }
        }
        out.append('\n').append(summary()).append('\n');
        return out.toString();
    }

    private String summary() {
        long alone = types.stream().filter(t -> t.alone().isEmpty()).count();
        long withUser = types.stream().filter(t -> t.withUser().isEmpty()).count();
        List<NamespaceType> never = types.stream().filter(t -> !t.works()).map(TypeResult::type).toList();
        String counts = "as this user " + alone + " of 8, with user = true " + withUser + " of 8";
        return never.isEmpty() ? "doctor: every namespace type works for " + who + " (" + counts + ")"
                : "doctor: " + never.stream().map(NamespaceType::toString).collect(Collectors.joining(", "))
                        + " cannot be had by " + who + " either way (" + counts + "); see what to change";
    }

    /** "yes", or "no (ERRNO) [n]" with the whole message added to the fixes as entry n. */
    private static String cell(Optional<String> failure, String what, List<String> fixes) {
        if (failure.isEmpty()) {
            return "yes";
        }
        fixes.add(what + ": " + failure.get());
        Matcher errno = ERRNO.matcher(failure.get());
        return "no" + (errno.find() ? " (" + errno.group(1) + ")" : "") + " [" + fixes.size() + "]";
    }

    private static String verdict(HostCheck.Verdict verdict) {
        switch (verdict) {
            case OK:
                return "ok";
            case NO:
                return "NO";
            default:
                return "unknown";
        }
    }

    private static String pad(String text, int width) {
        StringBuilder padded = new StringBuilder(text);
        while (padded.length() < width) {
            padded.append(' ');
        }
        return padded.append(padded.length() > width ? " " : "").toString();
    }
}
