package dev.nsjunit.internal.spawn;

import com.sun.jna.LastErrorException;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.LibC;
import java.nio.charset.StandardCharsets;

/**
 * Maps the invoking uid and gid to 0 inside a new user namespace, like {@code unshare --map-root-user}.
 *
 * <p>The maps are written while the child still waits in its chain, before {@code execve}: capabilities are
 * recomputed at {@code execve} from the uid the process has then, so a JVM exec'd as the unmapped "nobody" would
 * start without any, and could not mount, set the host name or bring up loopback.
 */
final class IdMaps {

    private static final int O_WRONLY = 1;

    private IdMaps() {
    }

    static void write(int pid, int uid, int gid) throws SpawnException {
        writeFile(pid, "uid_map", "0 " + uid + " 1");
        if (!HostFacts.hasEffectiveCapability(HostFacts.CAP_SETGID)) {
            // Since Linux 3.19 an unprivileged process may write gid_map only after denying setgroups(2), or a
            // process could drop a group that was denying it access (CVE-2014-8989).
            writeFile(pid, "setgroups", "deny");
        }
        writeFile(pid, "gid_map", "0 " + gid + " 1");
    }

    private static void writeFile(int pid, String name, String content) throws SpawnException {
        String path = "/proc/" + pid + "/" + name;
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        try (Fd fd = new Fd(LibC.INSTANCE.open(path, O_WRONLY | LibC.O_CLOEXEC))) {
            // The kernel takes a map in one write(2) only.
            LibC.INSTANCE.write(fd.number(), bytes, bytes.length);
        } catch (LastErrorException e) {
            throw new SpawnException(SpawnFailureAdvice.forIdMap(path, content, e.getErrorCode(),
                    HostFacts.read(LibC.INSTANCE.getuid())), e.getErrorCode());
        }
    }
}
