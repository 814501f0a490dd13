package dev.nsjunit.internal.parent;

import dev.nsjunit.internal.child.ChildBooter;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;

/**
 * Remembers which configuration parameters the launcher was given (Surefire's {@code configurationParameters}, an
 * IDE's, the Console Launcher's {@code --config}), so that a child runs its test with the same ones. An extension
 * can read a parameter only by name; a discovery listener, registered through {@code ServiceLoader}, sees them all.
 *
 * <p>One JVM may start several launchers; the latest one's keys are used, each with the value the running test's
 * engine sees.
 */
public final class LaunchConfiguration implements LauncherDiscoveryListener {

    private static volatile ConfigurationParameters latest;

    @Override
    public void launcherDiscoveryStarted(LauncherDiscoveryRequest request) {
        latest = request.getConfigurationParameters();
    }

    static Map<String, String> forChild(ExtensionContext context) {
        Map<String, String> forwarded = new TreeMap<>();
        ConfigurationParameters parameters = latest;
        if (parameters != null) {
            for (String key : parameters.keySet()) {
                if (!key.startsWith("nsjunit.internal.")) {
                    context.getConfigurationParameter(key).ifPresent(value -> forwarded.put(key, value));
                }
            }
        }
        forwarded.put(ChildBooter.EXPECTED_DISPLAY_NAME_KEY, context.getDisplayName());
        return forwarded;
    }
}
