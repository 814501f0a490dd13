import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Runs one bench class through the JUnit Platform Launcher, the same way for plain and isolated tests; with
 * "parallel", under Jupiter's parallel execution with 2 threads; with "no-archive", with nsjunit's class-data
 * archive turned off; with "no-prespawn", without children started ahead of their tests; a third argument names a
 * file for each child's CPU by phase (any other second argument, "prespawn" say, keeps the defaults). Prints
 * this JVM's own CPU time. Exits 1 unless every test passed.
 */
public class BenchRunner {
    public static void main(String[] args) throws Exception {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Class.forName(args[0])));
        if (args.length > 1 && args[1].equals("no-archive")) {
            request.configurationParameter("nsjunit.child.archive", "false");
        }
        if (args.length > 1 && args[1].equals("no-prespawn")) {
            request.configurationParameter("nsjunit.child.prespawn", "false");
        }
        if (args.length > 1 && args[1].equals("parallel")) {
            request.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2");
        }
        if (args.length > 2) { // a file for each child's CPU by phase, given on the children's command line
            request.configurationParameter("nsjunit.child.jvm.args", "-Dnsjunit.internal.child.phases=" + args[2]);
        }
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request.build(), listener);
        // This JVM's own CPU, its children's not included: what the test JVM spends on them is the difference.
        System.out.println("BENCH cpu " + ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis());
        long passed = listener.getSummary().getTestsSucceededCount();
        if (passed == 0 || listener.getSummary().getTotalFailureCount() > 0) {
            listener.getSummary().printFailuresTo(new java.io.PrintWriter(System.err, true), 20);
            System.exit(1);
        }
    }
}
