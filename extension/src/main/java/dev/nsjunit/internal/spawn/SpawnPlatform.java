package dev.nsjunit.internal.spawn;

import com.sun.jna.Platform;
import dev.nsjunit.internal.libc.LibC;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decides whether this machine can run the clone chain at all: Linux, glibc, x86-64 or aarch64. */
public final class SpawnPlatform {

    private SpawnPlatform() {
    }

    /** Why namespaced children cannot be had here, or empty if they can be tried. */
    public static Optional<String> unsupportedReason() {
        if (!Platform.isLinux()) {
            return Optional.of("Linux namespaces need Linux; this is " + System.getProperty("os.name"));
        }
        if (Architecture.current() == Architecture.UNSUPPORTED) {
            return Optional.of("nsjunit knows glibc's ucontext_t layout only on x86-64 and aarch64; this is "
                    + System.getProperty("os.arch"));
        }
        if (!CLibrary.IS_GLIBC) {
            return Optional.of("the C library is not glibc (musl, as on Alpine, has no getcontext/makecontext, "
                    + "which nsjunit uses to run the child's steps before execve); use a glibc-based image");
        }
        return Optional.empty();
    }

    /**
     * Why a new time namespace cannot be had on this kernel, or empty if it can. The child is put into its time
     * namespace by {@code execve}, which moves a process into its {@code time_ns_for_children} only since Linux 6.2;
     * before that the child would run in the test JVM's time namespace and fail the isolation check.
     */
    public static Optional<String> newTimeNamespaceUnsupportedReason() {
        return newTimeNamespaceUnsupportedReason(System.getProperty("os.version"));
    }

    static Optional<String> newTimeNamespaceUnsupportedReason(String kernelRelease) {
        Matcher version = RELEASE.matcher(kernelRelease);
        if (version.lookingAt()) {
            int major = Integer.parseInt(version.group(1));
            int minor = Integer.parseInt(version.group(2));
            if (major > 6 || major == 6 && minor >= 2) {
                return Optional.empty();
            }
        }
        return Optional.of("a new time namespace needs Linux 6.2 or later, and this kernel is " + kernelRelease
                + ": the child JVM enters its time namespace at execve, which moves a process into a time namespace "
                + "only since Linux 6.2. Run this test on a newer kernel, or leave time out of @InNamespace here");
    }

    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)");

    /** Looked up once: asked before every isolated test, and the C library does not change meanwhile. */
    private static final class CLibrary {
        static final boolean IS_GLIBC = hasGlibcVersion();

        private static boolean hasGlibcVersion() {
            try {
                LibC.function("gnu_get_libc_version");
                return true;
            } catch (UnsatisfiedLinkError e) {
                return false;
            }
        }
    }

    /**
     * Whether this JVM has {@code CAP_SYS_ADMIN} in its own user namespace: what mounting and joining other
     * namespaces need.
     */
    public static boolean hasSysAdmin() {
        return HostFacts.hasEffectiveCapability(HostFacts.CAP_SYS_ADMIN);
    }
}
