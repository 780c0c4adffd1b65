package dev.kpat.cli;

import dev.kpat.token.Durations;
import java.time.Duration;

/** A failure of a {@code kubectl pat} command whose message is already the one line to print, with its exit code. */
final class PatFailure extends RuntimeException {
    private final int exitCode;

    PatFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** A duration option's value, parsed; a malformed one is a wrong command line (exit 2), like picocli's own. */
    static Duration duration(String option, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new PatFailure(PatExit.USAGE, option + ": " + e.getMessage());
        }
    }

    int exitCode() {
        return exitCode;
    }
}
