package dev.nsjunit.internal.parent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether this JVM's {@code java} starts with some options: for options a JDK may not have, such as diagnostic
 * ones, which an unlocked JVM does not report through its management beans and which, unknown, stop a JVM from
 * starting.
 */
final class JvmOptionProbe {

    private static final long LIMIT_SECONDS = 30;

    private JvmOptionProbe() {
    }

    /** True if {@code java options... -version} exits with 0; false on any doubt. */
    static boolean accepts(List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(ChildJvmCommand.javaExecutable());
        command.addAll(options);
        command.add("-version");
        try {
            Process java = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!java.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                java.destroyForcibly().waitFor();
                return false;
            }
            return java.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
