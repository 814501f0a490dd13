package dev.nsjunit.internal.spawn;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.libc.Errno;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Words a failed namespace call: what was called, the errno name, the likely cause on this machine and what the
 * user can do, the way bubblewrap maps errnos to advice. Pure, so that causes this machine cannot produce
 * (AppArmor, Debian's sysctl) are tested too.
 */
public final class SpawnFailureAdvice {

    private SpawnFailureAdvice() {
    }

    /** Why unprivileged user namespaces fail with Debian's switch off, and the fix. */
    public static String unprivilegedUsernsCloneOff() {
        return "kernel.unprivileged_userns_clone=0 (Debian 10 and older) forbids user namespaces to unprivileged "
                + "users. Run 'sysctl -w kernel.unprivileged_userns_clone=1' as root, or run the tests as root.";
    }

    /** What a seccomp filter or security module does to namespace creation, and where to turn it off. */
    public static String seccompOrSecurityModule() {
        return "a seccomp filter (Docker's default profile) or a security module denies namespace creation here. "
                + "In a container, run it with --security-opt seccomp=unconfined (or a profile that allows clone "
                + "with CLONE_NEW* flags); elsewhere, check 'dmesg' for an AppArmor or SELinux denial.";
    }

    /** What {@code user.max_user_namespaces} at {@code value} means, and the fix. */
    public static String maxUserNamespaces(String value) {
        return "no user namespace may be created: user.max_user_namespaces is " + value + " (0 turns user "
                + "namespaces off; it is also the limit per user, and nesting stops at 32 levels). Raise it as root "
                + "with 'sysctl -w user.max_user_namespaces=15000'.";
    }

    /** Ubuntu's AppArmor restriction of unprivileged user namespaces, and the fix. */
    public static String apparmorRestriction() {
        return "kernel.apparmor_restrict_unprivileged_userns=1 (the default from Ubuntu 24.04, also on GitHub's "
                + "ubuntu-24.04 runners) lets an unprivileged process create a user namespace but gives it no "
                + "capabilities there. Run 'sysctl -w kernel.apparmor_restrict_unprivileged_userns=0' as root, "
                + "or add an AppArmor profile that grants 'userns' to the java binary.";
    }

    /** Why a fresh /proc cannot be mounted in a user namespace where the host's is partly covered, and the fix. */
    public static String maskedProc() {
        return "in a user namespace the kernel allows a new proc mount only where the host's /proc is not partly "
                + "covered by other mounts; many containers cover parts of it (/proc/kcore, /proc/sys, ...). Run "
                + "without user = true as root, or in a container started with --security-opt "
                + "systempaths=unconfined.";
    }

    static String forClone(int errno, Set<NamespaceType> types, HostFacts facts) {
        String call = "clone(" + flagNames(types) + ") failed: " + Errno.describe(errno) + " — ";
        boolean user = types.contains(NamespaceType.USER);
        switch (errno) {
            case Errno.EPERM:
                if (!user && !facts.capSysAdmin()) {
                    return call + lacksCapSysAdmin(facts, "creating " + typeNames(types) + " namespaces");
                }
                if (user && facts.unprivilegedUsernsClone().filter("0"::equals).isPresent()) {
                    return call + unprivilegedUsernsCloneOff();
                }
                return call + "the kernel refused although " + (user ? "a user namespace was requested"
                        : "the process has CAP_SYS_ADMIN") + ": " + seccompOrSecurityModule();
            case Errno.ENOSPC:
                if (user) {
                    return call + maxUserNamespaces(facts.maxUserNamespaces().orElse("unknown"));
                }
                return call + "a per-user limit on namespaces was reached (see /proc/sys/user/max_*_namespaces); "
                        + "raise it with sysctl, or end leftover processes that hold namespaces.";
            case Errno.EUSERS:
                return call + "user namespaces are nested too deeply (the kernel allows 32 levels).";
            case Errno.EINVAL:
                return call + "kernel " + facts.kernelRelease() + " does not know one of the requested flags "
                        + "(" + sinceKernels(types) + "), or was built without it (CONFIG_<TYPE>_NS); use a kernel "
                        + "that has it, or drop that type.";
            case Errno.EAGAIN:
                return call + "a limit on processes was reached (ulimit -u, or pids.max of the cgroup); end "
                        + "leftover processes or raise the limit.";
            default:
                return call + "the kernel could not create the child process with these namespaces; "
                        + "see clone(2) for what " + Errno.name(errno) + " means here.";
        }
    }

    static String forTimeWithoutPrivilege(HostFacts facts) {
        return "unshare(CLONE_NEWTIME) would fail: " + Errno.describe(Errno.EPERM) + " — "
                + lacksCapSysAdmin(facts, "creating a time namespace");
    }

    private static String lacksCapSysAdmin(HostFacts facts, String what) {
        return "uid " + facts.uid() + " lacks CAP_SYS_ADMIN, which " + what + " needs. Add user = true to "
                + "@InNamespace to run rootless (a new user namespace grants the capability inside it), or "
                + (facts.uid() == 0 ? "give the test JVM CAP_SYS_ADMIN." : "run as root.");
    }

    static String forIdMap(String file, String content, int errno, HostFacts facts) {
        String call = "writing '" + content + "' to " + file + " failed: " + Errno.describe(errno) + " — ";
        if (errno == Errno.EPERM && facts.apparmorRestrictUnprivilegedUserns().filter("1"::equals).isPresent()) {
            return call + apparmorRestriction();
        }
        if (errno == Errno.EPERM) {
            return call + "an unprivileged process may map only its own uid and gid, and only after writing "
                    + "'deny' to setgroups; a security module may also forbid the write (check 'dmesg').";
        }
        return call + "the child's user namespace could not be given its uid and gid maps.";
    }

    static String forExec(String path, int errno) {
        String call = "execve(" + path + ") failed in the child: " + Errno.describe(errno) + " — ";
        switch (errno) {
            case Errno.ENOENT:
                return call + "the java binary does not exist; check java.home.";
            case Errno.EACCES:
                return call + "the java binary or a directory above it is not executable for this user "
                        + "(or the file system is mounted noexec).";
            case Errno.E2BIG:
                return call + "the command line is too long for the kernel (one argument may hold at most "
                        + "128 KiB, all of them with the environment a quarter of the stack limit); shorten the "
                        + "environment or nsjunit.child.jvm.args.";
            default:
                return call + "the child JVM could not be started.";
        }
    }

    static String forJoin(Path path, NamespaceType type, int errno) {
        String call = "setns(" + path + ", " + type.cloneFlagName() + ") failed in the child: "
                + Errno.describe(errno) + " — ";
        String notStarted = " The program was not started.";
        switch (errno) {
            case Errno.EPERM:
                return call + "the child lacks CAP_SYS_ADMIN over that " + type + " namespace: setns needs it in "
                        + "the user namespace that owns the namespace, and a child that joined a user namespace has "
                        + "it only over the namespaces that one owns. Join the user namespace that owns it, or no "
                        + "user namespace." + notStarted;
            case Errno.EUSERS:
                return call + "the kernel lets only a single-threaded process join a time namespace, and the child "
                        + "shared its memory with the test JVM; please report this as a bug of nsjunit."
                        + notStarted;
            default:
                return call + "the kernel refused to move the child into it; see setns(2) for what "
                        + Errno.name(errno) + " means for a " + type + " namespace." + notStarted;
        }
    }

    /**
     * The chain's chdir back to the test JVM's working directory, after joining a mount namespace had moved the child
     * to that namespace's root.
     */
    static String forChdirAfterJoin(String directory, int errno) {
        String call = "chdir(" + directory + ") failed in the child after it joined the mount namespace: "
                + Errno.describe(errno) + " — ";
        String notStarted = " The program was not started, rather than run from another directory.";
        switch (errno) {
            case Errno.ENOENT:
            case Errno.ENOTDIR:
                return call + "the test JVM's working directory does not exist in that mount namespace. Run the "
                        + "tests from a directory that exists there too, or mount it there." + notStarted;
            case Errno.EACCES:
                return call + "the child may not search a directory on the way to it in that mount namespace."
                        + notStarted;
            default:
                return call + "see chdir(2) for what " + Errno.name(errno) + " means." + notStarted;
        }
    }

    /** The chain's close_range, which worked when this JVM tried it. */
    static String forCloseRange(int first, int errno) {
        return "close_range(" + first + ", ~0U, 0) failed in the child, though it worked in the test JVM: "
                + Errno.describe(errno) + " — the child would have kept this JVM's descriptors, so the program was "
                + "not started. A seccomp filter or security module that treats the two differently is the likely "
                + "cause; see close_range(2) for what " + Errno.name(errno) + " means.";
    }

    /** The chain's unshare(CLONE_NEWTIME); lacking privilege was ruled out before the spawn. */
    static String forTimeUnshare(int errno) {
        String call = "unshare(CLONE_NEWTIME) failed in the child: " + Errno.describe(errno) + " — ";
        String notStarted = " The program was not started.";
        switch (errno) {
            case Errno.EINVAL:
                return call + "this kernel has no time namespaces (they need Linux 5.6 with CONFIG_TIME_NS)."
                        + notStarted;
            case Errno.ENOSPC:
                return call + "the limit of time namespaces is reached: see /proc/sys/user/max_time_namespaces, "
                        + "in the user namespace of the test JVM and in each one above it." + notStarted;
            case Errno.EPERM:
                return call + "the child lacks CAP_SYS_ADMIN in its user namespace." + notStarted;
            default:
                return call + "see unshare(2) for what " + Errno.name(errno) + " means." + notStarted;
        }
    }

    static String flagNames(Set<NamespaceType> types) {
        return types.stream().filter(t -> t != NamespaceType.TIME).map(NamespaceType::cloneFlagName)
                .collect(Collectors.joining("|"));
    }

    private static String typeNames(Set<NamespaceType> types) {
        return types.stream().map(NamespaceType::toString).collect(Collectors.joining(", "));
    }

    private static String sinceKernels(Set<NamespaceType> types) {
        return types.stream().map(t -> t + " needs Linux " + t.sinceKernel()).collect(Collectors.joining(", "));
    }
}
