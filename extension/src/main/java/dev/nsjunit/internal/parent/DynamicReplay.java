package dev.nsjunit.internal.parent;

import dev.nsjunit.internal.wire.Message.DynamicNode;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;

/**
 * Rebuilds, in the parent, the dynamic tests and containers a test factory produced in the child: same names,
 * same nesting, same order, and each replays its own outcome when JUnit runs it here.
 */
final class DynamicReplay {

    private DynamicReplay() {
    }

    /** The factory's result as this JVM's factory would have returned it. */
    static Stream<org.junit.jupiter.api.DynamicNode> nodes(List<DynamicNode> finished) {
        Map<String, List<DynamicNode>> childrenByParent = new LinkedHashMap<>();
        for (DynamicNode node : finished) {
            childrenByParent.computeIfAbsent(node.parentId(), k -> new ArrayList<>()).add(node);
        }
        Set<String> ids = finished.stream().map(DynamicNode::uniqueId).collect(Collectors.toSet());
        List<DynamicNode> roots = finished.stream().filter(n -> !ids.contains(n.parentId()))
                .collect(Collectors.toList());
        return roots.stream().map(root -> rebuild(root, childrenByParent));
    }

    private static org.junit.jupiter.api.DynamicNode rebuild(DynamicNode node,
            Map<String, List<DynamicNode>> childrenByParent) {
        if (!node.container()) {
            return DynamicTest.dynamicTest(node.displayName(), () -> OutcomeReplay.replay(node.outcome()));
        }
        Stream<org.junit.jupiter.api.DynamicNode> children = childrenByParent
                .getOrDefault(node.uniqueId(), List.of()).stream().map(child -> rebuild(child, childrenByParent));
        return DynamicContainer.dynamicContainer(node.displayName(), endingWith(children, node.outcome()));
    }

    /**
     * {@code nodes}, then, if the child delivered no outcome (it died after sending them), a last element that throws
     * why; else as {@link #endingWith(Stream, Finished)} with its outcome.
     */
    static <T> Stream<T> endingWith(Stream<T> nodes, ChildRun.Result result) {
        if (result.failure() == null) {
            return endingWith(nodes, result.outcome());
        }
        return Stream.concat(nodes, Stream.generate(() -> DynamicReplay.<T>fail(result.failure())).limit(1));
    }

    private static <T> T fail(RuntimeException failure) {
        throw failure;
    }

    /**
     * {@code nodes}, then, if {@code outcome} is not a pass, a last element that throws it: how a factory or a
     * container whose stream threw after producing some nodes is replayed.
     */
    static <T> Stream<T> endingWith(Stream<T> nodes, Finished outcome) {
        if (outcome.status() == Status.SUCCESSFUL) {
            return nodes;
        }
        return Stream.concat(nodes, Stream.generate(() -> OutcomeReplay.<T>replayFromStream(outcome)).limit(1));
    }
}
