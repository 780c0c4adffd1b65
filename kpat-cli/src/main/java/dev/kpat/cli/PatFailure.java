package dev.kpat.cli;

/** A failure of a {@code kubectl pat} command whose message is already the one line to print, with its exit code. */
final class PatFailure extends RuntimeException {
    private final int exitCode;

    PatFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
