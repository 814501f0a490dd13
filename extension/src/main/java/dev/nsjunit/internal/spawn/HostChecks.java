package dev.nsjunit.internal.spawn;

import dev.nsjunit.internal.MountPoints;
import dev.nsjunit.internal.libc.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads, without changing anything, the facts of this machine that the failure messages of nsjunit know causes
 * for: platform, kernel version, the sysctls distributions use to restrict user namespaces, seccomp, a covered
 * /proc, and what later features need (overlayfs, veth, tbf, netem).
 */
public final class HostChecks {

    private HostChecks() {
    }

    /** Every check, in the order a reader would go through them. */
    public static List<HostCheck> all() {
        String release = System.getProperty("os.version");
        List<HostCheck> checks = new ArrayList<>();
        checks.add(platform());
        checks.add(closeRange(InheritedDescriptors.closeRangeRefusal(), release));
        checks.add(SpawnPlatform.newTimeNamespaceUnsupportedReason(release)
                .map(reason -> HostCheck.no("a new time namespace at execve", "Linux " + release, reason))
                .orElse(HostCheck.ok("a new time namespace at execve", "Linux " + release + " (6.2 or later)")));
        checks.add(maxUserNamespaces(sysctl("user/max_user_namespaces")));
        checks.add(unprivilegedUsernsClone(sysctl("kernel/unprivileged_userns_clone")));
        checks.add(apparmor(sysctl("kernel/apparmor_restrict_unprivileged_userns"),
                sysctl("kernel/apparmor_restrict_unprivileged_unconfined")));
        checks.add(seccomp(statusField("Seccomp")));
        checks.add(coveredProc(MountPoints.under(Path.of("/proc"))));
        checks.add(fileSystem("overlay", "overlayfs, for throwaway overlays (rootless: Linux 5.11+)"));
        Optional<KernelConfig> config = KernelConfig.read(release);
        checks.add(kernelFeature("veth", "CONFIG_VETH", "veth pairs, to link network namespaces", config));
        checks.add(kernelFeature("sch_tbf", "CONFIG_NET_SCH_TBF", "the tbf qdisc, to limit a link's bandwidth",
                config));
        checks.add(kernelFeature("sch_netem", "CONFIG_NET_SCH_NETEM",
                "the netem qdisc, for delay, loss, duplication and reordering", config));
        return checks;
    }

    private static HostCheck platform() {
        String found = System.getProperty("os.name") + " " + System.getProperty("os.arch");
        return SpawnPlatform.unsupportedReason().map(reason -> HostCheck.no("platform", found, reason))
                .orElse(HostCheck.ok("platform", found + ", glibc"));
    }

    /** Not in the way either way: without close_range the child closes each inherited descriptor on its own. */
    static HostCheck closeRange(Optional<Integer> refusal, String release) {
        String what = "close_range(2), to close the child's inherited descriptors";
        return HostCheck.ok(what, refusal.map(errno -> "refused (" + Errno.name(errno) + ", Linux " + release
                + "): the child closes them one by one instead").orElse("works (Linux " + release + ")"));
    }

    static HostCheck maxUserNamespaces(Optional<String> value) {
        String what = "user.max_user_namespaces";
        if (value.isEmpty()) {
            return HostCheck.unknown(what, "not readable");
        }
        return "0".equals(value.get()) ? HostCheck.no(what, "0", SpawnFailureAdvice.maxUserNamespaces("0"))
                : HostCheck.ok(what, value.get());
    }

    static HostCheck unprivilegedUsernsClone(Optional<String> value) {
        String what = "kernel.unprivileged_userns_clone";
        if (value.isEmpty()) {
            return HostCheck.ok(what, "absent (only Debian's kernels have it)");
        }
        return "0".equals(value.get()) ? HostCheck.no(what, "0", SpawnFailureAdvice.unprivilegedUsernsCloneOff())
                : HostCheck.ok(what, value.get());
    }

    static HostCheck apparmor(Optional<String> restrictUserns, Optional<String> restrictUnconfined) {
        String what = "kernel.apparmor_restrict_unprivileged_userns";
        if (restrictUserns.isEmpty()) {
            return HostCheck.ok(what, "absent (no AppArmor restriction of user namespaces)");
        }
        String found = restrictUserns.get() + restrictUnconfined.map(v -> ", ..._unconfined " + v).orElse("");
        return "1".equals(restrictUserns.get())
                ? HostCheck.no(what, found + " (applies to users without CAP_SYS_ADMIN)",
                        SpawnFailureAdvice.apparmorRestriction())
                : HostCheck.ok(what, found);
    }

    static HostCheck seccomp(Optional<String> mode) {
        String what = "seccomp of this process";
        if (mode.isEmpty()) {
            return HostCheck.unknown(what, "no Seccomp field in /proc/self/status");
        }
        switch (mode.get()) {
            case "0":
                return HostCheck.ok(what, "none");
            case "2":
                return HostCheck.no(what, "a filter (mode 2): it may refuse clone with CLONE_NEW* flags (EPERM)",
                        SpawnFailureAdvice.seccompOrSecurityModule());
            default:
                return HostCheck.no(what, "strict (mode " + mode.get() + ")",
                        SpawnFailureAdvice.seccompOrSecurityModule());
        }
    }

    static HostCheck coveredProc(List<String> mountsUnderProc) {
        String what = "/proc not covered by other mounts";
        // The kernel's own mounts of binfmt_misc and of a proc under /proc are no cover.
        List<String> covers = mountsUnderProc.stream().filter(path -> !path.startsWith("/proc/sys/fs/binfmt_misc"))
                .toList();
        return covers.isEmpty() ? HostCheck.ok(what, "nothing mounted over parts of it")
                : HostCheck.no(what, "mounts over " + String.join(", ", covers.subList(0, Math.min(4, covers.size())))
                        + (covers.size() > 4 ? " and " + (covers.size() - 4) + " more" : "")
                        + " (pid with mnt and user = true needs a fresh /proc)", SpawnFailureAdvice.maskedProc());
    }

    private static HostCheck fileSystem(String type, String what) {
        try {
            boolean known = Files.readAllLines(Path.of("/proc/filesystems")).stream()
                    .anyMatch(line -> line.endsWith("\t" + type));
            return known ? HostCheck.ok(what, type + " in /proc/filesystems")
                    : HostCheck.no(what, "not in /proc/filesystems", "load the " + type + " module (modprobe "
                            + type + ") or use a kernel built with it");
        } catch (IOException e) {
            return HostCheck.unknown(what, "/proc/filesystems not readable");
        }
    }

    /**
     * A kernel feature is there if its module is loaded, or the kernel's configuration (/proc/config.gz, or the
     * config file in /boot) builds it in or as a module; without either it is unknown, as a built-in feature may
     * leave no trace in /sys.
     */
    static HostCheck kernelFeature(String module, String option, String what, Optional<KernelConfig> config) {
        if (Files.isDirectory(Path.of("/sys/module", module))) {
            return HostCheck.ok(what, module + " loaded");
        }
        if (config.isEmpty()) {
            return HostCheck.unknown(what, module + " not loaded, and no kernel configuration to look in");
        }
        Optional<String> value = config.get().value(option);
        if (value.filter("y"::equals).isPresent()) {
            return HostCheck.ok(what, option + "=y in " + config.get().source());
        }
        if (value.filter("m"::equals).isPresent()) {
            return HostCheck.ok(what, option + "=m in " + config.get().source() + " (loaded at first use)");
        }
        return HostCheck.no(what, option + " not set in " + config.get().source(),
                "use a kernel built with " + option + " (=y or =m)");
    }

    private static Optional<String> sysctl(String name) {
        try {
            return Optional.of(Files.readAllLines(Path.of("/proc/sys", name)).get(0).trim());
        } catch (IOException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> statusField(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith(field + ":"))
                    .map(line -> line.substring(field.length() + 1).trim()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
