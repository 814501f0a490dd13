package dev.nsjunit.internal.spawn;

import dev.nsjunit.internal.libc.Signals;

/** How a child process ended, decoded from a {@code waitpid(2)} status. */
public record ChildExit(int exitCode, int signal) {

    static ChildExit fromWaitStatus(int status) {
        int termSignal = status & 0x7f;
        return termSignal == 0 ? new ChildExit((status >> 8) & 0xff, 0) : new ChildExit(-1, termSignal);
    }

    public boolean killedBySignal() {
        return signal != 0;
    }

    /** {@code "exited with code 3"} or {@code "was killed by SIGKILL (9)"}. */
    public String describe() {
        return killedBySignal()
                ? "was killed by " + Signals.name(signal) + " (" + signal + ")"
                : "exited with code " + exitCode;
    }

    @Override
    public String toString() {
        return describe();
    }
}
