package dev.nsjunit.internal.spawn;

import java.util.Locale;

/** The CPU architectures whose glibc {@code ucontext_t} layout the clone chain knows. */
enum Architecture {
    X86_64, AARCH64, UNSUPPORTED;

    static Architecture current() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64":
            case "x86_64":
                return X86_64;
            case "aarch64":
            case "arm64":
                return AARCH64;
            default:
                return UNSUPPORTED;
        }
    }
}
