package dev.nsjunit.internal.spawn;

import com.sun.jna.Platform;
import dev.nsjunit.internal.libc.LibC;
import java.util.Optional;

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
