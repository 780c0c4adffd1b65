package dev.kpat.cli;

/**
 * The exit codes of {@code kubectl pat}, documented in the README and in {@code kubectl pat --help} (PatCommand's
 * exitCodeList): scripts and CI jobs branch on them, so they never change meaning.
 */
public final class PatExit {
    public static final int OK = 0;
    /** Any other failure: the API refused the request (already exists, invalid), an unreadable kubeconfig. */
    public static final int ERROR = 1;
    /** The command line is wrong (unknown option, bad value); picocli's own code. */
    public static final int USAGE = 2;
    /** {@code audit --fail-on-findings} found something. */
    public static final int FINDINGS = 3;
    /** The token (or namespace) does not exist. */
    public static final int NOT_FOUND = 4;
    /** The API server refused the credentials in use (HTTP 401 or 403). */
    public static final int FORBIDDEN = 5;
    /** No API server to talk to: unreachable, TLS failure, timeout, or no kubeconfig at all. */
    public static final int UNREACHABLE = 6;
    /** {@code create}: the token failed (e.g. InvalidSpec, PolicyViolation) or was not Ready within the timeout. */
    public static final int NOT_READY = 7;

    private PatExit() {
    }
}
