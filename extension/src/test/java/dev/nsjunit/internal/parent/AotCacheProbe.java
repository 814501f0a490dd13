package dev.nsjunit.internal.parent;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link ClassDataArchiveTests} on a JDK with AOT caches: prints the archive {@link ClassDataArchive} gives
 * for the jars named after the cache directory, then the options a child needs for it, one per line.
 */
public final class AotCacheProbe {

    private AotCacheProbe() {
    }

    public static void main(String[] args) {
        List<String> jars = Arrays.asList(args).subList(1, args.length);
        Path archive = ClassDataArchive.forJars(jars, LeanJvmOptions.forChild(List.of(), Map.of()),
                Paths.get(args[0])).orElseThrow();
        System.out.println(archive);
        ClassDataArchive.childOptions(archive).forEach(System.out::println);
    }
}
