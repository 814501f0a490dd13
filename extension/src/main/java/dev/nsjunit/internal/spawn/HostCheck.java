package dev.nsjunit.internal.spawn;

/**
 * One fact about this machine that decides what nsjunit can do here: what was looked at, what was found, whether
 * it stands in the way, and if so what to change.
 */
public record HostCheck(String what, String found, Verdict verdict, String advice) {

    /** How a fact bears on nsjunit. */
    public enum Verdict {
        /** Nothing stands in the way. */
        OK,
        /** It stops something nsjunit does, or will stop it for some users; the advice says what to change. */
        NO,
        /** It could not be found out here. */
        UNKNOWN
    }

    static HostCheck ok(String what, String found) {
        return new HostCheck(what, found, Verdict.OK, "");
    }

    static HostCheck no(String what, String found, String advice) {
        return new HostCheck(what, found, Verdict.NO, advice);
    }

    static HostCheck unknown(String what, String found) {
        return new HostCheck(what, found, Verdict.UNKNOWN, "");
    }
}
