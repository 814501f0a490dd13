package dev.nsjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** AssertJ is an optional dependency: nothing but the NamespaceAssert family may need it. */
class OptionalAssertjTests {

    /** The classes allowed to refer to AssertJ; users who never call them need not have it. */
    private static final Set<String> ASSERTJ_USERS = Set.of("dev.nsjunit.NamespaceAssert",
            "dev.nsjunit.NamespaceAssert$Relation", "dev.nsjunit.NamespaceAssertions",
            "dev.nsjunit.ShouldRelateNamespaces", "dev.nsjunit.ShouldRelateNamespaces$Row");

    private static final Pattern DEPENDENCY = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)", Pattern.MULTILINE);

    private static Path mainClasses() throws Exception {
        return Path.of(Namespaces.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    @DisplayName("jdeps finds references to org.assertj only in NamespaceAssert, its entry point and its messages")
    void onlyTheAssertionClassesReferToAssertj() throws Exception {
        StringWriter out = new StringWriter();
        int status = ToolProvider.findFirst("jdeps").orElseThrow()
                .run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", mainClasses().toString());
        assertThat(status).as("jdeps exit status; its output:%n%s", out).isZero();

        Set<String> scanned = new TreeSet<>();
        Set<String> assertjUsers = new TreeSet<>();
        Matcher dependency = DEPENDENCY.matcher(out.toString());
        while (dependency.find()) {
            scanned.add(dependency.group(1));
            if (dependency.group(2).startsWith("org.assertj.")) {
                assertjUsers.add(dependency.group(1));
            }
        }
        // Not vacuous: jdeps did read the extension, and does see AssertJ where it is used.
        assertThat(scanned).contains("dev.nsjunit.internal.parent.InNamespaceExtension",
                "dev.nsjunit.internal.child.ChildBooter");
        assertThat(assertjUsers).contains("dev.nsjunit.NamespaceAssert").isSubsetOf(ASSERTJ_USERS);
    }

    @Test
    @DisplayName("without AssertJ on the class path every other class loads, and Namespaces works")
    void everythingElseLoadsWithoutAssertj() throws Exception {
        Path classes = mainClasses();
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!path.getFileName().toString().startsWith("assertj-") && !path.endsWith("test-classes")) {
                urls.add(path.toUri().toURL());
            }
        }
        try (URLClassLoader withoutAssertj = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> withoutAssertj.loadClass("org.assertj.core.api.AbstractAssert"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> withoutAssertj.loadClass("dev.nsjunit.NamespaceAssert"))
                    .isInstanceOf(NoClassDefFoundError.class);

            // Loading resolves each class's superclass and interfaces; initializing is left to the next lines.
            for (String name : classNames(classes)) {
                if (!ASSERTJ_USERS.contains(name)) {
                    assertThat(Class.forName(name, false, withoutAssertj).getClassLoader()).isSameAs(withoutAssertj);
                }
            }
            Class.forName("dev.nsjunit.InNamespace", true, withoutAssertj);
            Class.forName("dev.nsjunit.internal.parent.InNamespaceExtension", true, withoutAssertj);
            Object current = Class.forName("dev.nsjunit.Namespaces", true, withoutAssertj)
                    .getMethod("current").invoke(null);
            assertThat(current.toString()).startsWith("namespaces of pid " + ProcessHandle.current().pid());
        }
    }

    private static List<String> classNames(Path classes) throws IOException {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class") && !f.endsWith("module-info.class"))
                    .map(f -> classes.relativize(f).toString().replace(File.separatorChar, '.').replaceAll(
                            "\\.class$", ""))
                    .sorted().collect(Collectors.toList());
        }
    }
}
