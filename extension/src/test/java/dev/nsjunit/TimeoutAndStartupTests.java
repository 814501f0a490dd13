package dev.nsjunit;

import static dev.nsjunit.FixtureRunner.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import dev.nsjunit.fixtures.PlainIsolatedTestCase;
import dev.nsjunit.fixtures.TimeoutTestCase;
import dev.nsjunit.internal.parent.ChildJvmException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Limits on a child's time, a child that cannot start, and a child a debugger attaches to. */
class TimeoutAndStartupTests {

    @TempDir
    Path temp;

    @Test
    @DisplayName("@Timeout kills the child's tree when the test ignores interrupts, and fails within seconds")
    void timeoutAnnotationKillsTheTree() throws Exception {
        FixtureRunner runner = new FixtureRunner(temp);
        long start = System.nanoTime();
        Throwable failure = onlyFailure(runner.run(selectMethod(TimeoutTestCase.class, "withTimeoutAnnotation")));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(failure).isInstanceOf(TimeoutException.class)
                .hasMessage("withTimeoutAnnotation() timed out after 2 seconds");
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(ChildJvmException.class);
        assertThat(runner.marks()).hasSize(1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ChildLifetimeTests.processesWithArgument(TimeoutTestCase.SLEEP_SECONDS).isEmpty());
    }

    @Test
    @DisplayName("JUnit's junit.jupiter.execution.timeout.default applies to isolated tests too")
    void junitDefaultTimeoutKillsTheTree() throws Exception {
        FixtureRunner runner = new FixtureRunner(temp).with("junit.jupiter.execution.timeout.default", "2 s");
        Throwable failure = onlyFailure(runner.run(selectMethod(TimeoutTestCase.class, "withoutAnnotation")));

        assertThat(failure).isInstanceOf(TimeoutException.class)
                .hasMessage("withoutAnnotation() timed out after 2 seconds");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ChildLifetimeTests.processesWithArgument(TimeoutTestCase.SLEEP_SECONDS).isEmpty());
    }

    @Test
    @DisplayName("a child JVM that cannot start fails the test with its exit code and the last lines of its stderr")
    void childThatCannotStart() {
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.jvm.args", "-XX:+NoSuchNsjunitOption");
        Throwable failure = onlyFailure(runner.run(selectMethod(PlainIsolatedTestCase.class, "uts")));

        assertThat(failure).isInstanceOf(ChildJvmException.class)
                .hasMessageContaining("running uts() exited with code 1 before reporting an outcome")
                .hasMessageContaining("last lines of its stderr:\n  Unrecognized VM option 'NoSuchNsjunitOption'");
        assertThat(runner.marks()).isEmpty();
    }

    @Test
    @DisplayName("a classpath longer than the kernel takes in one argument reaches the child through an argfile")
    void longClasspath() {
        String original = System.getProperty("java.class.path");
        StringBuilder longer = new StringBuilder(original);
        for (int i = 0; i < 2000; i++) {
            longer.append(java.io.File.pathSeparator).append("/nonexistent/nsjunit/padding/entry-").append(i)
                    .append("/with-a-long-enough-name-to-fill-the-line.jar");
        }
        assertThat(longer.length()).isGreaterThan(128 * 1024);
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.cache.dir", temp.resolve("cache").toString());
        System.setProperty("java.class.path", longer.toString());
        EngineExecutionResults results;
        try {
            results = runner.run(selectMethod(PlainIsolatedTestCase.class, "uts"));
        } finally {
            System.setProperty("java.class.path", original);
        }
        FixtureRunner.assertAllSucceeded(results, 1);
        assertThat(runner.marks()).hasSize(1);
    }

    @Test
    @DisplayName("nsjunit.child.debug starts the child suspended with JDWP on that port, for a debugger to attach")
    void debuggerCanAttach() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.debug", Integer.toString(port));
        CompletableFuture<EngineExecutionResults> run = CompletableFuture.supplyAsync(
                () -> runner.run(selectMethod(PlainIsolatedTestCase.class, "uts")));

        VirtualMachine vm = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> attach(port),
                attached -> attached != null);
        assertThat(runner.marks()).as("suspended until the debugger resumes it").isEmpty();
        vm.resume();
        vm.dispose();

        FixtureRunner.assertAllSucceeded(run.get(), 1);
        assertThat(runner.marks()).hasSize(1);
    }

    private static VirtualMachine attach(int port) throws Exception {
        AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst().orElseThrow();
        Map<String, Connector.Argument> arguments = socket.defaultArguments();
        arguments.get("hostname").setValue("127.0.0.1");
        arguments.get("port").setValue(Integer.toString(port));
        return socket.attach(arguments);
    }

    @Test
    @DisplayName("nsjunit.child.debug with net = true is a configuration error: no debugger could reach the port")
    void debugWithNetIsRefused() {
        FixtureRunner runner = new FixtureRunner(temp).with("nsjunit.child.debug", "5005");
        Throwable failure = onlyFailure(runner.run(selectMethod(PlainIsolatedTestCase.class, "userAndNet")));

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("nsjunit.child.debug = 5005 cannot work with net = true (method "
                        + PlainIsolatedTestCase.class.getName() + "#userAndNet)");
        assertThat(runner.marks()).isEmpty();
    }

    @Test
    @DisplayName("unknown values of nsjunit keys fail with the key, the value and what is allowed")
    void badValues() {
        assertThat(onlyFailure(new FixtureRunner(temp).with("nsjunit.unavailable", "skip")
                .run(selectMethod(PlainIsolatedTestCase.class, "uts"))))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("nsjunit.unavailable = 'skip' is not one of fail, abort.");
        assertThat(onlyFailure(new FixtureRunner(temp).with("nsjunit.child.debug", "99999")
                .run(selectMethod(PlainIsolatedTestCase.class, "uts"))))
                .hasMessageStartingWith("nsjunit.child.debug = '99999' is not a TCP port");
    }
}
