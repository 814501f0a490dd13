package soak;

import java.util.stream.IntStream;

/** Which invocations of each kind run in which lap: N tests in 11 even shares, each share split between two laps. */
final class Share {

    static final int KINDS = 11;

    private Share() {
    }

    static int total() {
        return Integer.getInteger("soak.tests", 1000);
    }

    /** The indices of kind {@code kind} (0-based) that lap {@code lap} (1 or 2) runs. */
    static IntStream indices(int kind, int lap) {
        int n = total();
        int count = n / KINDS + (kind < n % KINDS ? 1 : 0);
        int firstLap = (count + 1) / 2;
        return lap == 1 ? IntStream.range(0, firstLap) : IntStream.range(firstLap, count);
    }
}
