package dev.nsjunit.internal.parent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files a child JVM loads or runs by path: its {@code java}, the libraries the dynamic linker and the JVM load
 * (those this JVM has mapped from the JDK and the system's library directories), and every file its command line
 * names (classpath and module path entries, an argument file, agents, class-data archives, JNA's boot library). In
 * a joined mount namespace each of these paths is looked up there.
 */
final class ChildJvmFiles {

    private static final List<String> LIBRARY_DIRECTORIES = List.of("/lib/", "/lib64/", "/lib32/", "/usr/lib/",
            "/usr/lib64/", "/usr/lib32/", "/usr/local/lib/");

    private ChildJvmFiles() {
    }

    /** Absolute paths, each once, the program first. */
    static List<String> of(List<String> command) {
        Set<String> files = new LinkedHashSet<>();
        files.add(command.get(0));
        String javaHome = Path.of(command.get(0)).getParent().getParent().toString() + "/";
        files.addAll(mappedLibraries(javaHome));
        for (int i = 1; i < command.size(); i++) {
            String argument = command.get(i);
            String next = i + 1 < command.size() ? command.get(i + 1) : "";
            if (argument.equals("-cp") || argument.equals("-classpath") || argument.equals("--class-path")
                    || argument.equals("-p") || argument.equals("--module-path")) {
                addPathList(files, next);
                i++;
            } else if (argument.startsWith("@")) {
                files.add(argument.substring(1));
                files.addAll(ofArgumentFile(Path.of(argument.substring(1))));
            } else {
                addOptionFiles(files, argument);
            }
        }
        files.removeIf(path -> !path.startsWith("/"));
        return new ArrayList<>(files);
    }

    private static void addOptionFiles(Set<String> files, String argument) {
        if (argument.startsWith("-javaagent:") || argument.startsWith("-agentpath:")) {
            String value = argument.substring(argument.indexOf(':') + 1);
            int options = value.indexOf('=');
            files.add(options < 0 ? value : value.substring(0, options));
        } else if (argument.startsWith("-XX:SharedArchiveFile=")) {
            addPathList(files, argument.substring(argument.indexOf('=') + 1)); // a base and a dynamic archive
        } else if (argument.startsWith("-XX:AOTCache=")) {
            files.add(argument.substring(argument.indexOf('=') + 1));
        } else if (argument.startsWith("-Djna.boot.library.path=")) {
            String directory = argument.substring(argument.indexOf('=') + 1);
            files.add(directory);
            files.add(directory + "/libjnidispatch.so");
        } else if (argument.startsWith("--module-path=")) {
            addPathList(files, argument.substring(argument.indexOf('=') + 1));
        }
    }

    private static void addPathList(Set<String> files, String list) {
        for (String entry : list.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                files.add(entry);
            }
        }
    }

    /** The classpath of an argument file as {@link ChildJvmCommand} writes one: {@code -cp}, then it quoted. */
    private static List<String> ofArgumentFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return List.of(); // the check compares the argument file itself, which then does not exist here
        }
        Set<String> files = new LinkedHashSet<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).equals("-cp")) {
                String quoted = lines.get(i + 1);
                String unquoted = quoted.startsWith("\"") && quoted.endsWith("\"") && quoted.length() >= 2
                        ? quoted.substring(1, quoted.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\")
                        : quoted;
                addPathList(files, unquoted);
            }
        }
        return new ArrayList<>(files);
    }

    /**
     * The shared libraries this JVM has mapped from its JDK and the system's library directories: what the same
     * {@code java} loads again in the child (the dynamic linker, libc, libjvm, the JDK's own libraries,
     * {@code lib/modules}). Files mapped from elsewhere (jars, JNA's unpacked library) are this JVM's alone or
     * named on the command line.
     */
    private static List<String> mappedLibraries(String javaHome) {
        Set<String> libraries = new LinkedHashSet<>();
        List<String> maps;
        try {
            maps = Files.readAllLines(Path.of("/proc/self/maps"));
        } catch (IOException e) {
            throw new ChildJvmException("cannot read /proc/self/maps, which tells the libraries a child JVM loads "
                    + "(to compare them inside the joined mount namespace): " + e.getMessage(), e);
        }
        for (String line : maps) {
            int slash = line.indexOf('/');
            if (slash < 0 || line.endsWith(" (deleted)")) {
                continue;
            }
            String path = line.substring(slash);
            if (path.startsWith(javaHome) || LIBRARY_DIRECTORIES.stream().anyMatch(path::startsWith)) {
                libraries.add(path);
            }
        }
        return new ArrayList<>(libraries);
    }
}
