package dev.nsjunit.internal.parent;

import dev.nsjunit.InNamespace;
import dev.nsjunit.NamespaceType;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What a test asked for: the namespace types and host name of the {@link InNamespace} nearest to it, validated.
 * Nearest means the test method's own, else its class's, else an enclosing class's (for {@code @Nested});
 * the nearest wins as a whole.
 */
record NamespaceRequest(Set<NamespaceType> types, String hostname, String declaredOn) {

    /** {@code HOST_NAME_MAX}: the kernel's limit for {@code sethostname(2)}. */
    private static final int HOST_NAME_MAX = 64;

    /** The request for the test or container of {@code context}, or empty if none of its elements is annotated. */
    static Optional<NamespaceRequest> of(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<AnnotatedElement> element = c.get().getElement();
            if (element.isPresent()) {
                rejectConflicts(element.get());
                Optional<InNamespace> annotation = AnnotationSupport.findAnnotation(element.get(), InNamespace.class);
                if (annotation.isPresent()) {
                    return Optional.of(validated(annotation.get(), element.get()));
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
        Set<NamespaceType> types = EnumSet.noneOf(NamespaceType.class);
        addIf(types, annotation.cgroup(), NamespaceType.CGROUP);
        addIf(types, annotation.ipc(), NamespaceType.IPC);
        addIf(types, annotation.mnt(), NamespaceType.MNT);
        addIf(types, annotation.net(), NamespaceType.NET);
        addIf(types, annotation.pid(), NamespaceType.PID);
        addIf(types, annotation.time(), NamespaceType.TIME);
        addIf(types, annotation.user(), NamespaceType.USER);
        addIf(types, annotation.uts() || !annotation.hostname().isEmpty(), NamespaceType.UTS);
        String where = describe(element);
        if (types.isEmpty()) {
            throw new ExtensionConfigurationException("@InNamespace on " + where + " requests no namespace: set "
                    + "at least one of uts, ipc, pid, net, mnt, user, cgroup, time to true, or give a hostname "
                    + "(or remove the annotation to run the test in this JVM).");
        }
        int hostnameBytes = annotation.hostname().getBytes(StandardCharsets.UTF_8).length;
        if (hostnameBytes > HOST_NAME_MAX) {
            throw new ExtensionConfigurationException("@InNamespace(hostname = \"" + annotation.hostname() + "\") on "
                    + where + " is " + hostnameBytes + " bytes long; the kernel accepts at most " + HOST_NAME_MAX
                    + " (HOST_NAME_MAX). Use a shorter host name.");
        }
        return new NamespaceRequest(Collections.unmodifiableSet(types), annotation.hostname(), where);
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
