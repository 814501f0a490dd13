package dev.nsjunit.internal.spawn;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Calls of the clone chain whose failure the parent must learn, and which must keep the program from starting.
 *
 * <p>The chain cannot branch on a result, so each call is followed by two steps that need none: errno (cleared
 * before the call, which leaves it alone on success) is written to the exec-error pipe for the parent to read, and
 * appended to the program's path with strcat, which appends nothing for 0 and one byte for any errno (below 256,
 * little-endian). A failed step thus makes the path one that does not exist: execve fails, and the program never
 * runs in a state other than the one asked for. The path therefore has a spare byte per step, kept here.
 */
final class CheckedSteps {

    /**
     * More than a chain has: a setns per namespace type, a chdir after joining a mount namespace, close_range, an
     * unshare.
     */
    private static final int MOST_STEPS = 16;

    private final CloneChain chain;
    private final Memory program;
    private final long errno;
    private final List<IntFunction<String>> failures = new ArrayList<>();

    /** For steps of {@code chain}, which executes {@code program} and has its errno at {@code errnoAddress}. */
    CheckedSteps(CloneChain chain, String program, Pointer errnoAddress) {
        this.chain = chain;
        this.program = chain.retain(Spawner.cString(program, MOST_STEPS));
        this.errno = Pointer.nativeValue(errnoAddress);
    }

    /** The program's path, NUL-terminated, for execve: longer by a byte for each step that failed. */
    Memory program() {
        return program;
    }

    /** Adds the call; {@code failure} gives the parent's message should it fail with an errno. */
    void call(IntFunction<String> failure, String function, long... arguments) {
        if (failures.size() == MOST_STEPS) {
            throw new IllegalStateException("more than " + MOST_STEPS + " checked steps: the program's path has no "
                    + "spare byte left for another one's errno");
        }
        chain.call("memset", errno, 0, 4);
        chain.call(function, arguments);
        chain.call("write", Spawner.EXEC_ERROR_FD, errno, 4);
        chain.call("strcat", Pointer.nativeValue(program), errno);
        failures.add(failure);
    }

    /** One message maker per step, in the order of the errnos on the exec-error pipe. */
    List<IntFunction<String>> failures() {
        return List.copyOf(failures);
    }
}
