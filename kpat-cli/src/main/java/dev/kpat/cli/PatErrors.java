package dev.kpat.cli;

import dev.kpat.runtime.Startup;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Turns whatever a {@code kubectl pat} command throws into one line and a {@link PatExit documented exit code}:
 * users see "error: ..." as kubectl prints it, never a stack trace.
 */
final class PatErrors {
    private PatErrors() {
    }

    static PatFailure classify(Throwable e, String server) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PatFailure f) {
                return f;
            }
        }
        String line = Startup.describe(e, server);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return new PatFailure(switch (k.getCode()) {
                    case 401, 403 -> PatExit.FORBIDDEN;
                    case 404 -> PatExit.NOT_FOUND;
                    default -> PatExit.ERROR;
                }, line);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (Startup.isUnreachable(t)) {
                return new PatFailure(PatExit.UNREACHABLE, line);
            }
        }
        return new PatFailure(PatExit.ERROR, line);
    }
}
