package dev.nsjunit.internal.spawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * What the kernel says about this process and machine, read when a spawn failed, to tell the likely cause:
 * capabilities, and the sysctls that distributions use to switch user namespaces off.
 */
record HostFacts(int uid, boolean capSysAdmin, Optional<String> maxUserNamespaces,
        Optional<String> unprivilegedUsernsClone, Optional<String> apparmorRestrictUnprivilegedUserns,
        String kernelRelease) {

    static final int CAP_SETGID = 6;
    static final int CAP_SYS_ADMIN = 21;

    static HostFacts read(int uid) {
        return new HostFacts(uid, hasEffectiveCapability(CAP_SYS_ADMIN),
                sysctl("user/max_user_namespaces"),
                sysctl("kernel/unprivileged_userns_clone"),
                sysctl("kernel/apparmor_restrict_unprivileged_userns"),
                sysctl("kernel/osrelease").orElse(System.getProperty("os.version")));
    }

    private static Optional<String> sysctl(String name) {
        Path file = Paths.get("/proc/sys", name);
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads the {@code CapEff} mask of {@code /proc/self/status}. */
    static boolean hasEffectiveCapability(int capability) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long mask = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    return (mask & (1L << capability)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Unknown: assume the capability is missing, which gives the more helpful advice.
        }
        return false;
    }
}
