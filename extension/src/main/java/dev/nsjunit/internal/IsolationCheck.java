package dev.nsjunit.internal;

import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The proof of isolation: the child must be in a new namespace of every requested type, in the given namespace of
 * every joined type, and in the parent's namespace of every other type, judged by {@code /proc/<pid>/ns} inodes (equal inode, same namespace). Run twice,
 * by the child from inside and by the parent from outside, before any user code runs.
 */
public final class IsolationCheck {

    private IsolationCheck() {
    }

    /** One type whose inodes contradict the request. */
    public record Mismatch(NamespaceType type, boolean requested, long parentInode, long childInode) {
    }

    public static List<Mismatch> mismatches(Namespaces parent, Namespaces child, Set<NamespaceType> requested) {
        return mismatches(parent, child, requested, Map.of());
    }

    /** As above, where the child must also be in the namespaces of {@code joined}: inodes by type. */
    public static List<Mismatch> mismatches(Namespaces parent, Namespaces child, Set<NamespaceType> requested,
            Map<NamespaceType, Long> joined) {
        List<Mismatch> mismatches = new ArrayList<>();
        for (NamespaceType type : NamespaceType.values()) {
            Long joinedInode = joined.get(type);
            if (joinedInode != null) {
                if (!child.types().contains(type) || child.inode(type) != joinedInode) {
                    mismatches.add(new Mismatch(type, false, joinedInode, inodeOrZero(child, type)));
                }
                continue;
            }
            boolean wanted = requested.contains(type);
            if (!parent.types().contains(type) || !child.types().contains(type)) {
                if (wanted) {
                    mismatches.add(new Mismatch(type, true, inodeOrZero(parent, type), inodeOrZero(child, type)));
                }
                continue; // A kernel without the type cannot put anyone in different ones.
            }
            boolean differs = parent.inode(type) != child.inode(type);
            if (differs != wanted) {
                mismatches.add(new Mismatch(type, wanted, parent.inode(type), child.inode(type)));
            }
        }
        return mismatches;
    }

    private static long inodeOrZero(Namespaces namespaces, NamespaceType type) {
        return namespaces.types().contains(type) ? namespaces.inode(type) : 0;
    }

    /**
     * The parent's and the child's inodes side by side, one line per type: what was expected (a new namespace,
     * or the parent's), both inodes, and whether they agree with it.
     */
    public static String table(Namespaces parent, Namespaces child, Set<NamespaceType> requested) {
        return table(parent, child, requested, Map.of());
    }

    /** As above; a joined type expects {@code joined <inode>}. */
    public static String table(Namespaces parent, Namespaces child, Set<NamespaceType> requested,
            Map<NamespaceType, Long> joined) {
        List<Mismatch> mismatches = mismatches(parent, child, requested, joined);
        int expectedWidth = joined.isEmpty() ? 9 : 18;
        StringBuilder table = new StringBuilder();
        row(table, expectedWidth, "type", "expected", "parent inode", "child inode", "verdict");
        for (NamespaceType type : NamespaceType.values()) {
            boolean bad = mismatches.stream().anyMatch(m -> m.type() == type);
            String expected = joined.containsKey(type) ? "joined " + joined.get(type)
                    : requested.contains(type) ? "new" : "shared";
            row(table, expectedWidth, type.toString(), expected, inodeText(parent, type), inodeText(child, type),
                    bad ? "MISMATCH" : "ok");
        }
        return table.toString();
    }

    /**
     * One line of left-aligned columns, as {@code %-7s %-9s %-13s %-13s %s%n} would give: built for every isolated
     * test, where a Formatter would parse its pattern again for each row.
     */
    private static void row(StringBuilder table, int expectedWidth, String type, String expected, String parent,
            String child, String verdict) {
        padded(table, type, 7);
        padded(table, expected, expectedWidth);
        padded(table, parent, 13);
        padded(table, child, 13);
        table.append(verdict).append(System.lineSeparator());
    }

    private static void padded(StringBuilder table, String cell, int width) {
        table.append(cell);
        for (int i = cell.length(); i < width; i++) {
            table.append(' ');
        }
        table.append(' ');
    }

    private static String inodeText(Namespaces namespaces, NamespaceType type) {
        return namespaces.types().contains(type) ? Long.toString(namespaces.inode(type)) : "-";
    }

    private static boolean kernelBefore(int major, int minor) {
        String[] version = System.getProperty("os.version", "0.0").split("[.-]");
        try {
            int actualMajor = Integer.parseInt(version[0]);
            int actualMinor = version.length > 1 ? Integer.parseInt(version[1]) : 0;
            return actualMajor < major || (actualMajor == major && actualMinor < minor);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Why a check failed: each mismatching type, both inodes, what was expected, and the table. */
    public static String failure(String checkedBy, Namespaces parent, Namespaces child,
            Set<NamespaceType> requested) {
        return failure(checkedBy, parent, child, requested, Map.of());
    }

    /** As above, with joined namespaces. */
    public static String failure(String checkedBy, Namespaces parent, Namespaces child,
            Set<NamespaceType> requested, Map<NamespaceType, Long> joined) {
        StringBuilder message = new StringBuilder("namespace isolation check by " + checkedBy
                + " failed; no user code was run:\n");
        for (Mismatch m : mismatches(parent, child, requested, joined)) {
            if (joined.containsKey(m.type())) {
                message.append(String.format("  %s: joining namespace %d was requested, but the child is in %d "
                        + "(setns failed: joining needs CAP_SYS_ADMIN over the namespace, and for an unprivileged "
                        + "user the user namespace that owns it joined too)%n", m.type(), m.parentInode(),
                        m.childInode()));
                continue;
            }
            message.append(String.format("  %s: %s, but parent inode %d and child inode %d %s%n", m.type(),
                    m.requested() ? "a new namespace was requested" : "the parent's namespace was expected",
                    m.parentInode(), m.childInode(), m.requested() ? "are the same" : "differ"));
            if (m.type() == NamespaceType.TIME && m.requested() && kernelBefore(6, 2)) {
                message.append("    (execve moves a process into a new time namespace only since Linux 6.2; this is ")
                        .append(System.getProperty("os.version")).append(")\n");
            }
        }
        return message.append(table(parent, child, requested, joined)).toString();
    }
}
