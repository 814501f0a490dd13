package dev.nsjunit.internal.parent;

import dev.nsjunit.InNamespace;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.child.ChildBooter;
import dev.nsjunit.internal.spawn.SpawnPlatform;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * Sends every test under {@link InNamespace} to a fresh child JVM and reports the child's outcome as the test's
 * own. In the parent, the test's body and its lifecycle methods are skipped; in the child (recognised by a
 * configuration parameter its booter sets), everything proceeds as usual.
 */
public final class InNamespaceExtension implements InvocationInterceptor {

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        runInChildOrProceed(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        runInChildOrProceed(invocation, context);
    }

    /**
     * The factory and its dynamic tests run in one child; here the factory returns their replay, so that JUnit
     * reports each dynamic test and container under its own name with the child's outcome.
     */
    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        Optional<NamespaceRequest> request = isolatedRequest(invocation, context);
        if (request.isEmpty()) {
            return invocation.proceed();
        }
        ChildRun.Result result = runInChild(invocation, context, request.get());
        // If the factory's stream failed after some dynamic tests ran, those are reported, then the failure, as
        // JUnit does when the stream throws midway in this JVM; so is a child that died after sending some.
        Stream<DynamicNode> nodes = DynamicReplay.endingWith(DynamicReplay.nodes(result.dynamicNodes()), result);
        @SuppressWarnings("unchecked") // JUnit takes any stream of dynamic nodes, whatever the declared type
        T returned = (T) nodes;
        return returned;
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        proceedUnlessIsolated(invocation, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        proceedUnlessIsolated(invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        proceedUnlessIsolated(invocation, context);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        proceedUnlessIsolated(invocation, context);
    }

    private static void runInChildOrProceed(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        Optional<NamespaceRequest> request = isolatedRequest(invocation, context);
        if (request.isEmpty()) {
            invocation.proceed();
            return;
        }
        OutcomeReplay.replay(runInChild(invocation, context, request.get()).outcomeOrThrow());
    }

    /**
     * The request of a test that this JVM must send to a child; empty where the invocation proceeds here: no
     * annotation applies, or this JVM is the child (which first checks it runs the parent's invocation).
     */
    private static Optional<NamespaceRequest> isolatedRequest(Invocation<?> invocation, ExtensionContext context) {
        Optional<NamespaceRequest> request = NamespaceRequest.of(context);
        if (request.isPresent() && inChild(context)) {
            verifySameInvocation(invocation, context);
            return Optional.empty();
        }
        return request;
    }

    private static ChildRun.Result runInChild(Invocation<?> invocation, ExtensionContext context,
            NamespaceRequest request) {
        Settings settings = Settings.of(context);
        // JUnit requires proceed() or skip() exactly once; from here on the outcome is the child's.
        invocation.skip();
        Optional<String> unsupported = SpawnPlatform.unsupportedReason();
        if (unsupported.isPresent()) {
            throw new TestAbortedException("nsjunit cannot create namespaces here: " + unsupported.get());
        }
        if (request.types().contains(NamespaceType.TIME)) {
            Optional<String> noTime = SpawnPlatform.newTimeNamespaceUnsupportedReason();
            if (noTime.isPresent()) {
                throw new TestAbortedException("nsjunit cannot create a time namespace here: " + noTime.get());
            }
        }
        return new ChildRun(context, request, settings).run();
    }

    /**
     * The child recomputes a template's invocations and runs the one at the parent's position; if its arguments
     * came out differently (a random or time-based source), that is another case than the parent reported.
     */
    private static void verifySameInvocation(Invocation<?> invocation, ExtensionContext context) {
        Optional<String> expected = context.getConfigurationParameter(ChildBooter.EXPECTED_DISPLAY_NAME_KEY);
        if (expected.isPresent() && !sameCase(expected.get(), context.getDisplayName())) {
            invocation.skip();
            throw new ExtensionConfigurationException("the child JVM computed other arguments for this invocation "
                    + "than the parent: the parent ran '" + expected.get() + "', the child got '"
                    + context.getDisplayName() + "'. Each invocation of an isolated test template recomputes its "
                    + "arguments in its own JVM, so the argument source must give the same values every time "
                    + "(no random or time-based values); nothing was run.");
        }
    }

    /**
     * Display names compared without what differs between JVMs by nature: identity hash codes of arguments
     * without a toString ({@code Foo@3ee0fea4}) and the generated names of lambdas.
     */
    static boolean sameCase(String parent, String child) {
        return jvmNeutral(parent).equals(jvmNeutral(child));
    }

    private static String jvmNeutral(String displayName) {
        return displayName.replaceAll("\\$\\$Lambda[$\\d]*(/0x[0-9a-f]+)?", "\\$\\$Lambda")
                .replaceAll("@[0-9a-f]{1,8}\\b", "@");
    }

    /** Lifecycle methods of an isolated test run only in its child, in its namespaces. */
    private static void proceedUnlessIsolated(Invocation<Void> invocation, ExtensionContext context)
            throws Throwable {
        if (inChild(context) || NamespaceRequest.of(context).isEmpty()) {
            invocation.proceed();
        } else {
            invocation.skip();
        }
    }

    private static boolean inChild(ExtensionContext context) {
        return context.getConfigurationParameter(ChildBooter.IN_CHILD_KEY).map(Boolean::parseBoolean).orElse(false);
    }
}
