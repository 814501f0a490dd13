package dev.nsjunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.nsjunit.internal.parent.InNamespaceExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test, or every test of the annotated class, in a fresh child JVM that joins an existing
 * namespace through its file: {@code /proc/<pid>/ns/<type>} of a running process, or a bind mount of one, such as
 * {@code /run/netns/lab} made by {@code ip netns add lab}. Repeatable, one per type; may sit next to an
 * {@link InNamespace} that asks for new namespaces of other types. The child joins with {@code setns(2)} before
 * its JVM starts, and the isolation checks prove it is in exactly that namespace.
 *
 * <pre>{@code
 * @JoinNamespace(type = NamespaceType.NET, path = "/run/netns/lab")
 * @InNamespace(uts = true)
 * @Test void seesTheLabNetwork() { ... }
 * }</pre>
 *
 * <p>Joining needs {@code CAP_SYS_ADMIN} over the namespace. An unprivileged user can join only namespaces owned
 * by a user namespace of its own, by joining that user namespace too; it can never join a pid namespace.
 */
@API(status = EXPERIMENTAL, since = "0.2.0")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(JoinNamespace.List.class)
@ExtendWith(InNamespaceExtension.class)
public @interface JoinNamespace {

    /** The type of the namespace; the file must be one of this type. */
    NamespaceType type();

    /** The namespace file's absolute path. */
    String path();

    /**
     * For a mount namespace only: start the child JVM even where the files it runs are not, inside that namespace,
     * this JVM's very files. Without it, nsjunit first looks up, inside the namespace, the child's {@code java},
     * the JDK's and the system's libraries this JVM loaded, and every file of the child's command line (classpath,
     * agents, archives), and refuses the join, naming the first path, unless each is the same file (device and
     * inode) as here. The check matters because the child executes those files with the test JVM's privileges
     * (as root: every capability, in the host's user namespace), so whoever can write them in that namespace (a
     * container's root, for {@code /proc/<container pid>/ns/mnt}) would choose the code that runs. Set it only
     * where everyone who can write that namespace's files may run code as you; files mounted over a directory of
     * the classpath, below it, are not compared either way.
     */
    boolean trustFiles() default false;

    /** Holds several {@link JoinNamespace}s; Java puts them in it, you write them one by one. */
    @API(status = EXPERIMENTAL, since = "0.2.0")
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Inherited
    @ExtendWith(InNamespaceExtension.class)
    @interface List {
        JoinNamespace[] value();
    }
}
