import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes each markdown page given, with every marked snippet replaced by the current code of the sample it names,
 * to the same relative path under an output directory; ci/docs compares the two. Run from the repository root as
 * `java ci/DocSnippets.java <output directory> <page.md>...`; exits 1, naming page and line, if a marker names a
 * file or tag that does not exist, or is not closed.
 *
 * <p>In a page: {@code <!-- snippet: Name#tag -->}, a fenced block, {@code <!-- end snippet -->}. Name is a class
 * in samples/src/test/java/dev/nsjunit/samples/, or a path from the repository root if it holds a slash; several
 * tags separated by commas are joined in that order. In the source: lines {@code // tag::tag[]} and
 * {@code // end::tag[]}; a tag may open and close several times, and its pieces are joined. Marker lines never
 * appear in a snippet, and the snippet loses the indentation all its lines share.
 */
public class DocSnippets {

    private static final Path SAMPLES = Path.of("samples/src/test/java/dev/nsjunit/samples");
    private static final Pattern START = Pattern.compile("^(\\s*)<!-- snippet: ([^#\\s]+)#([\\w,-]+) -->\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*<!-- end snippet -->\\s*$");
    private static final Pattern SOURCE_MARKER = Pattern.compile("^\\s*// (tag|end)::([\\w-]+)\\[\\]\\s*$");

    private final List<String> errors = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        DocSnippets snippets = new DocSnippets();
        Path output = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            Path page = Path.of(args[i]);
            Path expected = output.resolve(page);
            Files.createDirectories(expected.getParent());
            Files.write(expected, snippets.expand(page), StandardCharsets.UTF_8);
        }
        if (!snippets.errors.isEmpty()) {
            snippets.errors.forEach(error -> System.err.println("ci/docs: " + error));
            System.exit(1);
        }
    }

    /** The page's lines with each marked block rewritten from its source. */
    private List<String> expand(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            result.add(lines.get(i));
            Matcher start = START.matcher(lines.get(i));
            if (!start.matches()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !END.matcher(lines.get(end)).matches()) {
                end++;
            }
            String where = page + ":" + (i + 1);
            if (end == lines.size()) {
                errors.add(where + ": no <!-- end snippet --> after this snippet marker");
                continue;
            }
            List<String> code = snippet(where, start.group(2), start.group(3).split(","));
            if (code == null) {
                result.addAll(lines.subList(i + 1, end)); // leave it as it is; the error says why
            } else {
                String indent = start.group(1);
                Path source = source(start.group(2));
                String name = source.getFileName().toString();
                result.add(indent + "```" + name.substring(name.lastIndexOf('.') + 1));
                code.forEach(line -> result.add(line.isEmpty() ? "" : indent + line));
                result.add(indent + "```");
            }
            i = end - 1;
        }
        return result;
    }

    private static Path source(String name) {
        return name.contains("/") ? Path.of(name) : SAMPLES.resolve(name + ".java");
    }

    /** The lines of the given tags in the named source, without their common indentation; null after an error. */
    private List<String> snippet(String where, String name, String[] tags) throws IOException {
        Path source = source(name);
        if (!Files.isRegularFile(source)) {
            errors.add(where + ": snippet " + name + ": no such file " + source);
            return null;
        }
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        List<String> code = new ArrayList<>();
        for (String tag : tags) {
            int before = code.size();
            boolean open = false;
            boolean found = false;
            for (String line : lines) {
                Matcher marker = SOURCE_MARKER.matcher(line);
                if (marker.matches()) {
                    if (marker.group(2).equals(tag)) {
                        open = marker.group(1).equals("tag");
                        found = true;
                    }
                } else if (open) {
                    code.add(line);
                }
            }
            if (!found) {
                errors.add(where + ": snippet " + name + ": no // tag::" + tag + "[] in " + source);
                return null;
            }
            if (open) {
                errors.add(where + ": snippet " + name + ": // tag::" + tag + "[] is not closed in " + source);
                return null;
            }
            if (code.size() == before) {
                errors.add(where + ": snippet " + name + ": tag " + tag + " is empty in " + source);
                return null;
            }
        }
        int common = code.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        List<String> dedented = new ArrayList<>();
        for (String line : code) {
            dedented.add(line.isBlank() ? "" : line.substring(common));
        }
        return dedented;
    }
}
