package dev.nsjunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * The eight kinds of Linux namespace, each with the {@code clone(2)} flag that creates it, the name of its file
 * under {@code /proc/<pid>/ns}, and the kernel version that introduced it.
 *
 * @see <a href="https://man7.org/linux/man-pages/man7/namespaces.7.html">namespaces(7)</a>
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum NamespaceType {

    /** Control group root directory; {@code /proc/self/cgroup} shows {@code /} inside. */
    CGROUP(0x02000000, "CLONE_NEWCGROUP", "cgroup", "4.6"),
    /** System V IPC objects and POSIX message queues. */
    IPC(0x08000000, "CLONE_NEWIPC", "ipc", "2.6.19"),
    /** Mount points. The first namespace Linux had, hence the flag's odd name {@code CLONE_NEWNS}. */
    MNT(0x00020000, "CLONE_NEWNS", "mnt", "2.4.19"),
    /** Network devices, addresses, ports, routing tables and firewall rules. */
    NET(0x40000000, "CLONE_NEWNET", "net", "2.6.29"),
    /** Process IDs: the first process in a new one is PID 1. */
    PID(0x20000000, "CLONE_NEWPID", "pid", "2.6.24"),
    /**
     * Boot-time and monotonic clocks. Its flag shares a value with the exit-signal bits of {@code clone(2)}, so it
     * can only be had through {@code unshare(2)}, and it applies to children created or executed afterwards.
     */
    TIME(0x00000080, "CLONE_NEWTIME", "time", "5.6"),
    /** User and group IDs and capabilities: uid 0 inside may be an unprivileged user outside. */
    USER(0x10000000, "CLONE_NEWUSER", "user", "3.8"),
    /** Host name and NIS domain name. */
    UTS(0x04000000, "CLONE_NEWUTS", "uts", "2.6.19");

    private final int cloneFlag;
    private final String cloneFlagName;
    private final String procName;
    private final String sinceKernel;

    NamespaceType(int cloneFlag, String cloneFlagName, String procName, String sinceKernel) {
        this.cloneFlag = cloneFlag;
        this.cloneFlagName = cloneFlagName;
        this.procName = procName;
        this.sinceKernel = sinceKernel;
    }

    /** The {@code CLONE_NEW*} bit that asks {@code clone(2)}, {@code unshare(2)} or {@code setns(2)} for this type. */
    public int cloneFlag() {
        return cloneFlag;
    }

    /** The flag's name as the man pages spell it, e.g. {@code CLONE_NEWNS} for {@link #MNT}. */
    public String cloneFlagName() {
        return cloneFlagName;
    }

    /** The file name under {@code /proc/<pid>/ns}, e.g. {@code mnt}. */
    public String procName() {
        return procName;
    }

    /** The first kernel version that had this namespace type, e.g. {@code "2.6.24"}. */
    public String sinceKernel() {
        return sinceKernel;
    }

    /** Looks a type up by its {@code /proc/<pid>/ns} file name. */
    public static NamespaceType ofProcName(String procName) {
        for (NamespaceType type : values()) {
            if (type.procName.equals(procName)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not a namespace file name: '" + procName + "'; expected one of "
                + "cgroup, ipc, mnt, net, pid, time, user, uts");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
