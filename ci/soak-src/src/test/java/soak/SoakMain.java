package soak;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the soak's tests through the JUnit Platform Launcher in one session, as a build tool would:
 * {@code SoakMain soak|killed|sweep DIRECTORY}. Child JVMs get a small heap (the heap tests fill it).
 */
public final class SoakMain {

    private SoakMain() {
    }

    public static void main(String[] args) throws Exception {
        List<DiscoverySelector> selectors = switch (args[0]) {
            case "soak" -> List.of(selectClass(FirstLap.class), selectClass(SecondLap.class));
            case "killed" -> List.of(selectClass(KilledRun.class));
            case "sweep" -> List.of(selectClass(SweepRun.class));
            default -> throw new IllegalArgumentException("usage: SoakMain soak|killed|sweep DIRECTORY");
        };
        SoakListener listener = new SoakListener(Path.of(args[1]));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                .configurationParameters(Map.of("nsjunit.child.jvm.args", "-Xmx48m")).build();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher().execute(request, listener);
        }
        listener.sample("closed");
        listener.close();
    }
}
