package dev.nsjunit.internal.parent;

import dev.nsjunit.InNamespace;
import dev.nsjunit.internal.child.ChildBooter;
import dev.nsjunit.internal.spawn.SpawnPlatform;
import dev.nsjunit.internal.wire.Message.Finished;
import dev.nsjunit.internal.wire.Message.Status;
import java.lang.reflect.Method;
import java.util.Optional;
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
        Optional<NamespaceRequest> request = NamespaceRequest.of(context);
        if (request.isEmpty() || inChild(context)) {
            invocation.proceed();
            return;
        }
        Settings settings = Settings.of(context);
        // JUnit requires proceed() or skip() exactly once; from here on the outcome is the child's.
        invocation.skip();
        Optional<String> unsupported = SpawnPlatform.unsupportedReason();
        if (unsupported.isPresent()) {
            throw new TestAbortedException("nsjunit cannot create namespaces here: " + unsupported.get());
        }
        replay(new ChildRun(context, request.get(), settings).run());
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

    private static void replay(Finished finished) throws Throwable {
        if (finished.status() == Status.SUCCESSFUL) {
            return;
        }
        Throwable throwable = finished.throwable() == null
                ? new ChildJvmException("the child reported " + finished.status() + " without a throwable")
                : ThrowableReplay.rebuild(finished.throwable());
        if (finished.status() == Status.ABORTED && !(throwable instanceof TestAbortedException)) {
            throw new TestAbortedException(throwable.getMessage(), throwable);
        }
        throw throwable;
    }
}
