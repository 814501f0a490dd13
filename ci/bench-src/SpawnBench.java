import dev.nsjunit.NamespaceType;
import dev.nsjunit.internal.spawn.ChildProcess;
import dev.nsjunit.internal.spawn.Spawner;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The spawn alone: from clone to the child's successful execve of /bin/true, in new uts and pid namespaces, with
 * args[0] MiB of live heap in this JVM; args[1] "copy" makes the child a copy of this process (clone without
 * CLONE_VM), else it shares the memory until execve (CLONE_VM|CLONE_VFORK). Prints the median in microseconds.
 */
public class SpawnBench {
    public static void main(String[] args) throws Exception {
        // In quarter-MiB pieces: a piece of a whole region or more would be a humongous object in G1.
        byte[][] ballast = new byte[4 * Integer.parseInt(args[0])][];
        for (int i = 0; i < ballast.length; i++) {
            ballast[i] = new byte[1 << 18];
            Arrays.fill(ballast[i], (byte) 1);
        }
        if (args[1].equals("copy")) {
            System.setProperty(Spawner.COPY_MEMORY_PROPERTY, "true");
        }
        long[] micros = new long[41];
        for (int i = 0; i < micros.length; i++) {
            long start = System.nanoTime();
            ChildProcess child = Spawner.spawn(EnumSet.of(NamespaceType.UTS, NamespaceType.PID),
                    List.of("/bin/true"), Map.of());
            micros[i] = (System.nanoTime() - start) / 1000;
            child.awaitExit(Duration.ofSeconds(10));
            child.close();
            child.stdout().close();
            child.stderr().close();
        }
        Arrays.sort(micros);
        System.out.println(micros[micros.length / 2] + " " + ballast.length / 4);
    }
}
