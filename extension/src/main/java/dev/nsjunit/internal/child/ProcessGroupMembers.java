package dev.nsjunit.internal.child;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The other processes of this JVM's process group, as {@code /proc} lists them, each with the pid that
 * {@code kill(2)} takes in this JVM.
 *
 * <p>{@code /proc} numbers processes in the pid namespace it was mounted in, which need not be this JVM's: a child
 * that joined a pid namespace without a mount namespace of its own reads the host's {@code /proc}, whose pids and
 * process-group ids are not what {@code getpid()}, {@code getpgrp()} and {@code kill(2)} use here (there, a host
 * pid may name one of this JVM's own threads). So the numbers come from the {@code NSpid} and {@code NSpgid} lines
 * of each {@code status} file, which list a process's pid and group from {@code /proc}'s namespace down to the
 * process's own (Linux 4.1+): the group is matched by its number in {@code /proc}'s namespace, the first one,
 * which names one group whatever the reader's namespace, and a member is killed by its number at this JVM's own
 * depth below that namespace. Every member is a descendant of this JVM, the session leader, so it has one.
 */
final class ProcessGroupMembers {

    /** A process in {@code /proc} and its pid in this JVM's pid namespace. */
    record Member(Path process, int pid) {
    }

    private ProcessGroupMembers() {
    }

    /**
     * The members besides this JVM; none if this JVM does not appear in {@code /proc} at all (one mounted in a pid
     * namespace beside its own, whose processes cannot be in its group either) or if the kernel shows no
     * {@code NSpid}. The parent kills the group again after this JVM has exited, from its own namespace.
     */
    static List<Member> others() {
        Ids self = Ids.of(Path.of("/proc/self"));
        if (self == null) {
            return List.of();
        }
        int depth = self.pids().length - 1;
        int group = self.pgids()[0];
        List<Member> members = new ArrayList<>();
        // Plain java.io and the one-line stat first: this runs once, interpreted, on the way to the test's outcome,
        // where a glob, NIO channels and every process's status parsed into lines cost a child ~20 ms of CPU.
        String[] names = new File("/proc").list();
        for (String name : names == null ? new String[0] : names) {
            if (name.isEmpty() || name.charAt(0) < '0' || name.charAt(0) > '9') {
                continue;
            }
            Path process = Path.of("/proc", name);
            if (groupOf(process) != group) {
                continue;
            }
            Ids ids = Ids.of(process);
            if (ids != null && ids.pgids()[0] == group && ids.pids()[0] != self.pids()[0]
                    && ids.pids().length > depth) {
                members.add(new Member(process, ids.pids()[depth]));
            }
        }
        return members;
    }

    /**
     * The process group in {@code /proc}'s numbering, as the fifth field of {@code stat} gives it (the first of
     * {@code NSpgid}); -1 if the process is gone. {@code "4711 (a) b) S 1 4711 ..."}: the name in parentheses may
     * itself hold spaces and parentheses, so the fields are counted from the last {@code ')'}.
     */
    static int groupOf(Path process) {
        byte[] stat = new byte[512]; // the fields up to the group, with a name of at most 64 bytes, fit
        int length;
        try (FileInputStream in = new FileInputStream(process.resolve("stat").toFile())) {
            length = in.readNBytes(stat, 0, stat.length);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
        int at = length - 1;
        while (at >= 0 && stat[at] != ')') {
            at--;
        }
        if (at < 0) {
            return -1;
        }
        // After ")": a space, the state, the parent's pid, then the group.
        for (int spaces = 0; spaces < 3 && at < length; at++) {
            if (stat[at] == ' ') {
                spaces++;
            }
        }
        int start = at;
        int group = 0;
        for (; at < length && stat[at] >= '0' && stat[at] <= '9'; at++) {
            group = group * 10 + (stat[at] - '0');
        }
        return at > start ? group : -1;
    }

    /** A process's pids and process-group ids, from {@code /proc}'s pid namespace down to its own. */
    private record Ids(int[] pids, int[] pgids) {

        /** Null if the process is gone or its status has no {@code NSpid} and {@code NSpgid}. */
        static Ids of(Path process) {
            int[] pids = null;
            int[] pgids = null;
            try {
                for (String line : Files.readAllLines(process.resolve("status"))) {
                    if (line.startsWith("NSpid:")) {
                        pids = numbers(line);
                    } else if (line.startsWith("NSpgid:")) {
                        pgids = numbers(line);
                    }
                }
            } catch (IOException | RuntimeException gone) {
                return null;
            }
            return pids == null || pgids == null || pids.length == 0 || pgids.length == 0 ? null
                    : new Ids(pids, pgids);
        }

        /** {@code "NSpid:\t4711\t2"}: the numbers after the name. */
        private static int[] numbers(String line) {
            return Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
                    .mapToInt(Integer::parseInt).toArray();
        }
    }
}
