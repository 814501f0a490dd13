package dev.nsjunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.nsjunit.internal.parent.InNamespaceExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test, or every test of the annotated class, in a fresh child JVM created in new Linux
 * namespaces of the requested types, after proving from inside and outside that it is isolated in exactly those.
 *
 * <p>The nearest annotation wins as a whole: one on a method replaces its class's, one on a {@code @Nested}
 * class replaces its enclosing class's. Nothing is merged. The annotation may also sit on an annotation of
 * your own, which then works the same way.
 *
 * <pre>{@code
 * @InNamespace(uts = true, pid = true, hostname = "box")
 * class MyTest {
 *     @Test void isPid1() { assertThat(ProcessHandle.current().pid()).isEqualTo(1L); }
 * }
 * }</pre>
 *
 * <p>Combine it with {@link JoinNamespace} to join existing namespaces of the other types.
 *
 * <p>Without privilege ({@code CAP_SYS_ADMIN}), add {@code user = true}: a new user namespace grants the
 * capabilities that the other types need, with your uid and gid mapped to 0 inside.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(InNamespaceExtension.class)
public @interface InNamespace {

    /** A new UTS namespace: host and domain name of its own. */
    boolean uts() default false;

    /** A new IPC namespace: System V IPC objects and POSIX message queues of its own. */
    boolean ipc() default false;

    /** A new PID namespace: the test JVM is PID 1; with {@link #mnt()}, {@code /proc} shows only its processes. */
    boolean pid() default false;

    /** A new network namespace: only a loopback device, brought up before the test runs. */
    boolean net() default false;

    /** A new mount namespace: {@code /} is made recursively private first, so no mount reaches the host. */
    boolean mnt() default false;

    /** A new user namespace: your uid and gid are mapped to 0 inside, with full capabilities there. */
    boolean user() default false;

    /** A new cgroup namespace: {@code /proc/self/cgroup} shows {@code /}. */
    boolean cgroup() default false;

    /** A new time namespace (Linux 5.6+; entered at {@code execve}, which needs Linux 6.2+). */
    boolean time() default false;

    /** The host name to set inside; a non-empty value implies {@link #uts()}. At most 64 bytes. */
    String hostname() default "";

    /**
     * A key that makes tests share their namespaces: every test with the same key (and the same types) still runs
     * in its own child JVM, but all of them join the namespaces made for the first one. They are kept alive
     * between tests by a bind mount of their {@code /proc/<pid>/ns} files (as root; an unprivileged user's test
     * JVM holds them open instead) and released when the test plan ends. Letters, digits, {@code .}, {@code _}
     * and {@code -}, at most 64. A pid namespace cannot be shared: it ends with its first process.
     */
    @API(status = EXPERIMENTAL, since = "0.2.0")
    String shared() default "";
}
