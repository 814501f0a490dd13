package dev.nsjunit.internal.parent;

import dev.nsjunit.InNamespace;
import dev.nsjunit.JoinNamespace;
import dev.nsjunit.NamespaceType;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What a test asked for: the new namespace types, the namespaces to join, the sharing key and the host name of the
 * {@link InNamespace} and {@link JoinNamespace}s nearest to it, validated. Nearest means the test method's own,
 * else its class's, else an enclosing class's (for {@code @Nested}); the nearest element carrying either wins as a
 * whole.
 */
record NamespaceRequest(Set<NamespaceType> types, Map<NamespaceType, Path> joins, String shared, String hostname,
        String declaredOn, boolean trustsJoinedFiles) {

    /** {@code HOST_NAME_MAX}: the kernel's limit for {@code sethostname(2)}. */
    private static final int HOST_NAME_MAX = 64;
    private static final Pattern SHARED_KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The request for the test or container of {@code context}, or empty if none of its elements is annotated. */
    static Optional<NamespaceRequest> of(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<AnnotatedElement> element = c.get().getElement();
            if (element.isPresent()) {
                rejectConflicts(element.get());
                Optional<InNamespace> annotation = AnnotationSupport.findAnnotation(element.get(), InNamespace.class);
                List<JoinNamespace> joins = AnnotationSupport.findRepeatableAnnotations(element.get(),
                        JoinNamespace.class);
                if (annotation.isPresent() || !joins.isEmpty()) {
                    return Optional.of(validated(annotation, joins, element.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * One element may carry {@code @InNamespace} directly and through annotations of the user's own; if those
     * disagree, no rule says which one the user meant.
     */
    private static void rejectConflicts(AnnotatedElement element) {
        Map<String, InNamespace> declarations = new LinkedHashMap<>();
        for (Annotation annotation : element.getAnnotations()) {
            if (annotation instanceof InNamespace direct) {
                declarations.put("directly", direct);
            } else {
                AnnotationSupport.findAnnotation(annotation.annotationType(), InNamespace.class).ifPresent(
                        meta -> declarations.put("through @" + annotation.annotationType().getSimpleName(), meta));
            }
        }
        if (new HashSet<>(declarations.values()).size() > 1) {
            throw new ExtensionConfigurationException(describe(element) + " carries conflicting @InNamespace "
                    + "declarations: " + declarations.entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(" and "))
                    + ". Keep one of them; nsjunit does not merge them.");
        }
    }

    static NamespaceRequest validated(InNamespace annotation, AnnotatedElement element) {
        return validated(Optional.of(annotation), List.of(), element);
    }

    static NamespaceRequest validated(Optional<InNamespace> annotation, List<JoinNamespace> joinAnnotations,
            AnnotatedElement element) {
        String where = describe(element);
        Set<NamespaceType> types = EnumSet.noneOf(NamespaceType.class);
        String hostname = annotation.map(InNamespace::hostname).orElse("");
        String shared = annotation.map(InNamespace::shared).orElse("");
        annotation.ifPresent(a -> {
            addIf(types, a.cgroup(), NamespaceType.CGROUP);
            addIf(types, a.ipc(), NamespaceType.IPC);
            addIf(types, a.mnt(), NamespaceType.MNT);
            addIf(types, a.net(), NamespaceType.NET);
            addIf(types, a.pid(), NamespaceType.PID);
            addIf(types, a.time(), NamespaceType.TIME);
            addIf(types, a.user(), NamespaceType.USER);
            addIf(types, a.uts() || !a.hostname().isEmpty(), NamespaceType.UTS);
        });
        Map<NamespaceType, Path> joins = joins(joinAnnotations, types, where);
        if (types.isEmpty() && joins.isEmpty()) {
            throw new ExtensionConfigurationException("@InNamespace on " + where + " requests no namespace: set "
                    + "at least one of uts, ipc, pid, net, mnt, user, cgroup, time to true, or give a hostname "
                    + "(or remove the annotation to run the test in this JVM).");
        }
        int hostnameBytes = hostname.getBytes(StandardCharsets.UTF_8).length;
        if (hostnameBytes > HOST_NAME_MAX) {
            throw new ExtensionConfigurationException("@InNamespace(hostname = \"" + hostname + "\") on "
                    + where + " is " + hostnameBytes + " bytes long; the kernel accepts at most " + HOST_NAME_MAX
                    + " (HOST_NAME_MAX). Use a shorter host name.");
        }
        rejectUserNamespaceMixes(types, joins, where);
        if (!shared.isEmpty()) {
            rejectBadSharing(shared, types, where);
        }
        boolean trustsJoinedFiles = joinAnnotations.stream().anyMatch(JoinNamespace::trustFiles);
        return new NamespaceRequest(Collections.unmodifiableSet(types), Collections.unmodifiableMap(joins), shared,
                hostname, where, trustsJoinedFiles);
    }

    private static Map<NamespaceType, Path> joins(List<JoinNamespace> annotations, Set<NamespaceType> types,
            String where) {
        Map<NamespaceType, Path> joins = new EnumMap<>(NamespaceType.class);
        for (JoinNamespace join : annotations) {
            String at = "@JoinNamespace(type = " + join.type().name() + ", path = \"" + join.path() + "\") on "
                    + where;
            if (types.contains(join.type())) {
                throw new ExtensionConfigurationException(at + " joins a " + join.type() + " namespace that the "
                        + "@InNamespace there asks to create new (" + join.type().procName() + " = true). A test "
                        + "is in one namespace of each type: drop one of the two.");
            }
            if (joins.containsKey(join.type())) {
                throw new ExtensionConfigurationException(at + " is the second @JoinNamespace of type "
                        + join.type().name() + " (the first names " + joins.get(join.type()) + "); a process is "
                        + "in one namespace of each type.");
            }
            if (join.trustFiles() && join.type() != NamespaceType.MNT) {
                throw new ExtensionConfigurationException(at + " sets trustFiles = true, which only a mount "
                        + "namespace's join has a use for: only there does the child find its java, libraries and "
                        + "classpath in another file system. Remove it.");
            }
            Path path = Path.of(join.path());
            if (!path.isAbsolute()) {
                throw new ExtensionConfigurationException(at + ": the path must be absolute, such as /proc/<pid>/ns/"
                        + join.type().procName() + " or /run/netns/<name>.");
            }
            joins.put(join.type(), path);
        }
        return joins;
    }

    /**
     * Every namespace is owned by the user namespace its creator was in, and only capabilities there count. A
     * child in a new user namespace has none over the namespaces it would join; a child that joined a user
     * namespace has none over the new ones, which the test JVM's user namespace owns.
     */
    private static void rejectUserNamespaceMixes(Set<NamespaceType> types, Map<NamespaceType, Path> joins,
            String where) {
        if (types.contains(NamespaceType.USER) && !joins.isEmpty()) {
            throw new ExtensionConfigurationException(where + " asks for a new user namespace (user = true) and "
                    + "joins " + joins.keySet() + " namespaces: in a new user namespace the child has no "
                    + "capabilities over namespaces it did not create, so setns would fail with EPERM. Join the "
                    + "user namespace that owns them too (@JoinNamespace(type = USER, ...)) instead of user = true.");
        }
        if (joins.containsKey(NamespaceType.USER) && !types.isEmpty()) {
            throw new ExtensionConfigurationException(where + " joins a user namespace and asks for new " + types
                    + " namespaces: those would be owned by the test JVM's user namespace, where the child, once "
                    + "in the joined one, has no capabilities to set them up. Join namespaces of those types too, "
                    + "or do not join the user namespace.");
        }
    }

    private static void rejectBadSharing(String shared, Set<NamespaceType> types, String where) {
        if (!SHARED_KEY.matcher(shared).matches()) {
            throw new ExtensionConfigurationException("@InNamespace(shared = \"" + shared + "\") on " + where
                    + ": a sharing key is 1 to 64 letters, digits, '.', '_' or '-' (it names a directory).");
        }
        if (types.contains(NamespaceType.PID)) {
            throw new ExtensionConfigurationException("@InNamespace(shared = \"" + shared + "\", pid = true) on "
                    + where + ": a pid namespace cannot be shared between tests. Its first process (the first "
                    + "test's JVM) is its init; when it exits the kernel kills the namespace's other processes and "
                    + "refuses new ones (fork fails with ENOMEM), even while its file is kept open or bind-mounted. "
                    + "Leave pid out of the shared request, or give the tests their own pid namespaces without "
                    + "shared.");
        }
        if (types.isEmpty()) {
            throw new ExtensionConfigurationException("@InNamespace(shared = \"" + shared + "\") on " + where
                    + " shares no namespace: set the types to share, such as net = true.");
        }
    }

    private static void addIf(Set<NamespaceType> types, boolean requested, NamespaceType type) {
        if (requested) {
            types.add(type);
        }
    }

    private static String describe(AnnotatedElement element) {
        if (element instanceof Class<?> type) {
            return "class " + type.getName();
        }
        if (element instanceof java.lang.reflect.Method method) {
            return "method " + method.getDeclaringClass().getName() + "#" + method.getName();
        }
        return element.toString();
    }
}
