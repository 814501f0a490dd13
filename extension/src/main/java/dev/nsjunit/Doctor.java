package dev.nsjunit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.nsjunit.internal.doctor.DoctorReport;
import org.apiguardian.api.API;

/**
 * Tells what this machine lets the current user do with nsjunit, in a few seconds: every namespace type tried for
 * real (a child through the same spawn path as an isolated test), as this user and with {@code user = true}, the
 * machine's facts behind any refusal, and for each "no" its cause and fix. Run it as
 * {@code java -cp nsjunit-<version>.jar:jna-<version>.jar dev.nsjunit.Doctor}; it exits with 0 when every type
 * works for this user one way or the other.
 */
@API(status = EXPERIMENTAL, since = "0.2.0")
public final class Doctor {

    private Doctor() {
    }

    public static void main(String[] args) {
        DoctorReport report = DoctorReport.examine();
        System.out.print(report.render());
        System.out.flush();
        System.exit(report.exitCode());
    }
}
