package dev.nsjunit;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Words the failures of {@link NamespaceAssert}: what was expected of which two processes, the types for which it
 * does not hold, and a table of both inodes per type.
 */
final class ShouldRelateNamespaces extends BasicErrorMessageFactory {

    /** One type's line: the relation expected for it, both inodes ("-" if the snapshot lacks the type). */
    record Row(NamespaceType type, boolean differs, String actualInode, String otherInode, boolean wrong) {
    }

    private static final String COLUMNS = "  %-7s %-9s %-13s %-13s %s";

    private ShouldRelateNamespaces(String message) {
        // The message goes in as an argument, not as the format: AssertJ would quote it and apply '%' in it.
        super("%n%s", unquotedString(message));
    }

    static ErrorMessageFactory shouldRelate(Namespaces actual, Namespaces other, Set<NamespaceType> listed,
            boolean differ, boolean only, List<Row> rows) {
        String those = "those of pid " + other.pid() + " (other)";
        String expectation = (differ ? "to differ from " : "to share ") + those + " in"
                + (only ? " exactly: " : ": ") + names(listed)
                + (only ? (differ ? ", and to share every other type" : ", and to differ in every other type") : "");
        return new ShouldRelateNamespaces(message(actual, expectation, "other inode", rows));
    }

    static ErrorMessageFactory shouldBeIsolatedFromParentIn(Namespaces actual, Namespaces parent,
            String parentDescription, Set<NamespaceType> listed, List<Row> rows) {
        String expectation = "to differ from those of " + parentDescription + " (parent) in: " + names(listed);
        return new ShouldRelateNamespaces(message(actual, expectation, "parent inode", rows));
    }

    private static String message(Namespaces actual, String expectation, String otherColumn, List<Row> rows) {
        List<NamespaceType> wrong = rows.stream().filter(Row::wrong).map(Row::type).collect(Collectors.toList());
        StringBuilder message = new StringBuilder()
                .append(String.format("Expecting the namespaces of pid %d (actual)%n", actual.pid()))
                .append(String.format("%s%n", expectation))
                .append(String.format("but it does not hold for: %s%n", names(wrong)));
        if (rows.stream().anyMatch(r -> r.actualInode().equals("-") || r.otherInode().equals("-"))) {
            message.append(String.format("(- : that snapshot has no namespace of the type; its kernel predates it)%n"));
        }
        message.append(String.format("%n")).append(line("type", "expected", "actual inode", otherColumn, ""));
        for (Row row : rows) {
            message.append(String.format("%n")).append(line(row.type().toString(),
                    row.differs() ? "differs" : "shares", row.actualInode(), row.otherInode(),
                    row.wrong() ? "<-- wrong" : ""));
        }
        return message.toString();
    }

    private static String line(String type, String expected, String actualInode, String otherInode, String mark) {
        return String.format(COLUMNS, type, expected, actualInode, otherInode, mark).stripTrailing();
    }

    private static String names(Collection<NamespaceType> types) {
        return types.stream().map(NamespaceType::toString).collect(Collectors.joining(", "));
    }
}
