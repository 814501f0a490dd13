package dev.nsjunit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.nsjunit.InNamespace;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * "Operation not permitted" (EPERM) when a process without {@code CAP_SYS_ADMIN} asks for a namespace, and the fix
 * that needs no privilege: a new user namespace, in which the caller has every capability. Shown in
 * docs/concepts/permissions.md.
 *
 * <p>Runs as root and as an ordinary user alike: as root, the commands that must lack the capability run under
 * {@code setpriv}, which drops it; an ordinary user has none to drop.
 */
@Tag("rootless")
class PermissionSampleTest {

    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    private static final byte[] BOX = "box".getBytes(StandardCharsets.US_ASCII);
    private static final int CAP_SYS_ADMIN = 21;

    // tag::eperm[]
    @Test
    void withoutCapSysAdminTheKernelRefuses() throws Exception {
        Output output = withoutCapSysAdmin("unshare", "--uts", "hostname", "box");

        assertThat(output.text).isEqualTo("unshare: unshare failed: Operation not permitted\n");
        assertThat(output.exitCode).isEqualTo(1);
    }
    // end::eperm[]

    // tag::user[]
    @Test
    void aNewUserNamespaceGrantsTheCapability() throws Exception {
        Output output = withoutCapSysAdmin("unshare", "--user", "--map-root-user", "--uts",
                "sh", "-c", "hostname box && hostname && id -u && grep CapEff /proc/self/status");

        assertThat(output.text.lines()).containsExactly("box", "0", "CapEff:\t" + everyCapability());
    }
    // end::user[]

    // tag::nsjunit-eperm[]
    @Test
    void nsjunitSaysWhatIsMissingAndWhatToAdd() throws Exception {
        Output output = withoutCapSysAdmin(java(), "-cp", classpath(), RunWithoutUser.class.getName());

        assertThat(output.text).contains("clone(CLONE_NEWUTS) failed: EPERM (1)", "lacks CAP_SYS_ADMIN, which "
                + "creating uts namespaces needs. Add user = true to @InNamespace to run rootless");
    }

    /** Run by the test above, in a JVM without CAP_SYS_ADMIN; never on its own (Surefire skips nested classes). */
    static class WithoutUser {

        @Test
        @InNamespace(uts = true)
        void renamesItsMachine() {
            Uts.LIBC.sethostname(BOX, BOX.length);
        }
    }
    // end::nsjunit-eperm[]

    // tag::nsjunit-user[]
    @Test
    @InNamespace(user = true, uts = true)
    void withUserTrueTheTestIsRootWithEveryCapability() throws IOException {
        // sethostname(2), not a write to /proc/sys/kernel/hostname: the kernel lets only the host's root (uid 0
        // outside) write that file, so for an ordinary user it is refused (EACCES) even with every capability.
        Uts.LIBC.sethostname(BOX, BOX.length);

        assertThat(Files.readString(HOSTNAME).strip()).isEqualTo("box");
        assertThat(status("Uid")).isEqualTo("0\t0\t0\t0");
        assertThat(status("CapEff")).isEqualTo(everyCapability());
    }
    // end::nsjunit-user[]

    /** Runs {@link WithoutUser} through the JUnit Platform and prints its failures, one line each. */
    static final class RunWithoutUser {

        public static void main(String[] args) {
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(
                    LauncherDiscoveryRequestBuilder.request().selectors(selectClass(WithoutUser.class)).build(),
                    listener);
            listener.getSummary().getFailures().forEach(failure ->
                    System.out.println("failed: " + failure.getException().getMessage()));
        }
    }

    /**
     * Runs {@code command} without CAP_SYS_ADMIN: as root under {@code setpriv}, which drops it from the bounding
     * and inheritable sets, so that not even uid 0 has it after {@code execve}; otherwise as it is.
     */
    private static Output withoutCapSysAdmin(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if ((Long.parseLong(status("CapEff"), 16) & (1L << CAP_SYS_ADMIN)) != 0) {
            full.addAll(List.of("setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin"));
        }
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Output(process.waitFor(), text);
    }

    /** CapEff with every capability this kernel knows, as /proc/self/status shows it. */
    private static String everyCapability() throws IOException {
        // readAllLines, not readString: an integer sysctl read past offset 0 gives end-of-file (see the user sample).
        int last = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).get(0));
        return String.format("%016x", (1L << (last + 1)) - 1);
    }

    /** A field of /proc/self/status, such as "Uid" (real, effective, saved and file-system uid, tab-separated). */
    private static String status(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1).strip())
                .findFirst().orElseThrow();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's class path, and under the Console Launcher also the class path it loads the tests with. */
    private static String classpath() throws URISyntaxException {
        List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path")));
        if (PermissionSampleTest.class.getClassLoader() instanceof URLClassLoader) {
            for (URL url : ((URLClassLoader) PermissionSampleTest.class.getClassLoader()).getURLs()) {
                entries.add(Path.of(url.toURI()).toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The one call this sample needs, from {@code <unistd.h>}. */
    interface Uts extends Library {

        Uts LIBC = Native.load("c", Uts.class);

        /**
         * Sets the host name of the caller's UTS namespace; 0, or -1 and errno (EPERM without
         * {@code CAP_SYS_ADMIN} in the user namespace that owns it).
         *
         * @see <a href="https://man7.org/linux/man-pages/man2/sethostname.2.html">sethostname(2)</a>
         */
        int sethostname(byte[] name, long len) throws LastErrorException;
    }

    /** What a command printed, standard output and error together, and how it exited. */
    private static final class Output {
        final int exitCode;
        final String text;

        Output(int exitCode, String text) {
            this.exitCode = exitCode;
            this.text = text;
        }
    }
}
