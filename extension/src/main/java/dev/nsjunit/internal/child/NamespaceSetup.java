package dev.nsjunit.internal.child;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.libc.Errno;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;
import dev.nsjunit.internal.spawn.SpawnFailureAdvice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The child's first act, as a checklist run in order, once the JVM is inside its namespaces and before any user
 * code: each step is one call, and its failure names the call, its arguments and the errno.
 */
final class NamespaceSetup {

    private final Set<NamespaceType> types;
    private final Set<NamespaceType> joined;
    private final String hostname;
    private final List<String> done = new ArrayList<>();

    /**
     * {@code types} are the new namespaces; {@code joined} the existing ones the child joined, which were set up
     * by whoever made them (a shared namespace: by the first test's child) and are left as they are.
     */
    NamespaceSetup(Set<NamespaceType> types, Set<NamespaceType> joined, String hostname) {
        this.types = types;
        this.joined = joined;
        this.hostname = hostname;
    }

    /** Runs every step the request needs; returns what was done, one line per step. */
    List<String> apply() throws SetupFailure {
        if (types.contains(NamespaceType.MNT)) {
            makeRootPrivate();
            if (types.contains(NamespaceType.PID) || joined.contains(NamespaceType.PID)) {
                mountProc();
            }
        }
        if (types.contains(NamespaceType.NET)) {
            bringUpLoopback();
        }
        if (!hostname.isEmpty() && types.contains(NamespaceType.UTS)) {
            setHostname();
        }
        return done;
    }

    /**
     * Before any other mount: where {@code /} is a shared mount (systemd's default), a new mount namespace still
     * receives and sends mount events through its peer group, so a mount made here would appear on the host.
     */
    private void makeRootPrivate() throws SetupFailure {
        try {
            LibC.INSTANCE.mount(null, "/", null, LibC.MS_REC | LibC.MS_PRIVATE, null);
        } catch (LastErrorException e) {
            throw new SetupFailure("mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE) failed: "
                    + Errno.describe(e.getErrorCode()) + " — the new mount namespace could not be detached from "
                    + "the host's mount propagation, so no mount is safe; this needs CAP_SYS_ADMIN in the "
                    + "namespace's user namespace (add user = true when running unprivileged).", e);
        }
        done.add("mount --make-rprivate /");
    }

    /** A pid namespace's own processes appear only in a proc instance mounted from inside it. */
    private void mountProc() throws SetupFailure {
        try {
            LibC.INSTANCE.mount("proc", "/proc", "proc", LibC.MS_NOSUID | LibC.MS_NODEV | LibC.MS_NOEXEC, null);
        } catch (LastErrorException e) {
            String cause = e.getErrorCode() == Errno.EPERM && types.contains(NamespaceType.USER)
                    ? " — " + SpawnFailureAdvice.maskedProc()
                    : " — mounting a fresh /proc for the new pid namespace was refused.";
            throw new SetupFailure("mount(\"proc\", \"/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC) failed: "
                    + Errno.describe(e.getErrorCode()) + cause, e);
        }
        done.add("mount -t proc proc /proc");
    }

    /** A new network namespace has only a loopback device, and it is down. */
    private void bringUpLoopback() throws SetupFailure {
        try (Fd socket = new Fd(LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0));
                Memory ifreq = new Memory(LibC.IFREQ_SIZE)) {
            ifreq.clear();
            ifreq.setString(0, "lo", "US-ASCII");
            LibC.INSTANCE.ioctl(socket.number(), LibC.SIOCGIFFLAGS, ifreq);
            short flags = ifreq.getShort(LibC.IFNAMSIZ);
            ifreq.setShort(LibC.IFNAMSIZ, (short) (flags | LibC.IFF_UP));
            LibC.INSTANCE.ioctl(socket.number(), LibC.SIOCSIFFLAGS, ifreq);
        } catch (LastErrorException e) {
            throw new SetupFailure("bringing up \"lo\" (socket(AF_INET), ioctl SIOCGIFFLAGS, SIOCSIFFLAGS IFF_UP) "
                    + "failed: " + Errno.describe(e.getErrorCode())
                    + " — the loopback device of the new network namespace could not be brought up; this needs "
                    + "CAP_NET_ADMIN in the namespace's user namespace.", e);
        }
        done.add("ip link set lo up");
    }

    private void setHostname() throws SetupFailure {
        byte[] name = hostname.getBytes(StandardCharsets.UTF_8);
        try {
            LibC.INSTANCE.sethostname(name, name.length);
        } catch (LastErrorException e) {
            throw new SetupFailure("sethostname(\"" + hostname + "\") failed: " + Errno.describe(e.getErrorCode())
                    + " — the host name of the new UTS namespace could not be set.", e);
        }
        done.add("hostname " + hostname);
    }
}
