package dev.nsjunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.nsjunit.ShouldRelateNamespaces.Row;
import dev.nsjunit.internal.ParentNamespaces;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on which namespaces a process is in, compared type by type with another snapshot or with
 * the process's parent. A failure shows one row per type involved: the expected relation and both inodes.
 *
 * @see NamespaceAssertions#assertThat(Namespaces)
 */
@API(status = EXPERIMENTAL, since = "0.2.0")
public class NamespaceAssert extends AbstractAssert<NamespaceAssert, Namespaces> {

    public NamespaceAssert(Namespaces actual) {
        super(actual, NamespaceAssert.class);
    }

    /**
     * Compares with {@code other}; finish with {@link Relation#in in(...)} (different namespaces in at least these
     * types) or {@link Relation#onlyIn onlyIn(...)} (different in exactly these, the same in every other type).
     */
    public Relation differsFrom(Namespaces other) {
        isNotNull();
        return new Relation(this, requireOther(other, "differsFrom"), true);
    }

    /**
     * Compares with {@code other}; finish with {@link Relation#in in(...)} (the same namespaces in at least these
     * types) or {@link Relation#onlyIn onlyIn(...)} (the same in exactly these, different in every other type).
     */
    public Relation sharesWith(Namespaces other) {
        isNotNull();
        return new Relation(this, requireOther(other, "sharesWith"), false);
    }

    /**
     * Verifies that the actual process is in different namespaces than its parent in each of {@code types}. Inside
     * an nsjunit child JVM, for a snapshot of the child itself, the parent is the test JVM that started it;
     * otherwise it is the process named by {@code PPid} in {@code /proc/<pid>/status}.
     *
     * @throws IllegalStateException if the parent cannot be found, e.g. for the first process of a pid namespace
     *         outside nsjunit
     */
    public NamespaceAssert isIsolatedFromParentIn(NamespaceType... types) {
        isNotNull();
        Set<NamespaceType> listed = requireTypes(types, "isIsolatedFromParentIn(...)");
        ParentNamespaces.Parent parent = ParentNamespaces.of(actual);
        List<Row> rows = rows(parent.namespaces(), listed, true, false);
        if (rows.stream().anyMatch(Row::wrong)) {
            throwAssertionError(ShouldRelateNamespaces.shouldBeIsolatedFromParentIn(actual, parent.namespaces(),
                    parent.description(), listed, rows));
        }
        return myself;
    }

    /** The second half of {@link #differsFrom} or {@link #sharesWith}: in which types. */
    @API(status = EXPERIMENTAL, since = "0.2.0")
    public static final class Relation {

        private final NamespaceAssert assertion;
        private final Namespaces other;
        private final boolean differ;

        private Relation(NamespaceAssert assertion, Namespaces other, boolean differ) {
            this.assertion = assertion;
            this.other = other;
            this.differ = differ;
        }

        /** At least in these types; says nothing about the others. */
        public NamespaceAssert in(NamespaceType... types) {
            return assertion.verify(other, requireTypes(types, method() + ".in(...)"), differ, false);
        }

        /** In exactly these types, and the opposite in every other type both snapshots have. */
        public NamespaceAssert onlyIn(NamespaceType... types) {
            return assertion.verify(other, requireTypes(types, method() + ".onlyIn(...)"), differ, true);
        }

        private String method() {
            return differ ? "differsFrom(other)" : "sharesWith(other)";
        }
    }

    private NamespaceAssert verify(Namespaces other, Set<NamespaceType> listed, boolean differ, boolean only) {
        List<Row> rows = rows(other, listed, differ, only);
        if (rows.stream().anyMatch(Row::wrong)) {
            throwAssertionError(ShouldRelateNamespaces.shouldRelate(actual, other, listed, differ, only, rows));
        }
        return myself;
    }

    /**
     * One row per listed type and, for {@code only}, per other type both snapshots have. A listed type missing from
     * either snapshot is wrong whatever was expected: no namespace of it can be compared.
     */
    private List<Row> rows(Namespaces other, Set<NamespaceType> listed, boolean differ, boolean only) {
        List<Row> rows = new ArrayList<>();
        for (NamespaceType type : NamespaceType.values()) {
            boolean inBoth = actual.types().contains(type) && other.types().contains(type);
            if (listed.contains(type) || (only && inBoth)) {
                boolean wantDiffer = listed.contains(type) == differ;
                boolean wrong = !inBoth || (actual.inode(type) != other.inode(type)) != wantDiffer;
                rows.add(new Row(type, wantDiffer, inodeText(actual, type), inodeText(other, type), wrong));
            }
        }
        return rows;
    }

    private static String inodeText(Namespaces namespaces, NamespaceType type) {
        return namespaces.types().contains(type) ? Long.toString(namespaces.inode(type)) : "-";
    }

    private static Namespaces requireOther(Namespaces other, String method) {
        if (other == null) {
            throw new IllegalArgumentException(method + "(other): the other Namespaces must not be null");
        }
        return other;
    }

    private static Set<NamespaceType> requireTypes(NamespaceType[] types, String method) {
        if (types == null || types.length == 0) {
            throw new IllegalArgumentException(method + " needs at least one NamespaceType, e.g. (UTS, PID)");
        }
        Set<NamespaceType> set = EnumSet.noneOf(NamespaceType.class);
        for (NamespaceType type : types) {
            if (type == null) {
                throw new IllegalArgumentException(method + ": a NamespaceType is null");
            }
            set.add(type);
        }
        return set;
    }
}
