package dev.kpat.lifecycle;

/** Why a new value is issued; it decides what happens to the value it replaces. */
public enum IssueReason {
    /** The first value of a token. */
    Issued(false),
    /** Scheduled rotation: the previous value stays valid for the grace period. */
    Rotated(true),
    /** {@code kpat.dev/rotate} changed: the response to a leak, so the previous value dies at once. */
    ManualRotation(false),
    /** The Secret was deleted, so nobody should hold the previous value. */
    SecretDeleted(false),
    /** The Secret's value was edited or removed: the previous value is no longer trusted. */
    SecretTampered(false);

    private final boolean graceForPrevious;

    IssueReason(boolean graceForPrevious) {
        this.graceForPrevious = graceForPrevious;
    }

    /** Whether the value this one replaces keeps working until the end of the grace period. */
    public boolean graceForPrevious() {
        return graceForPrevious;
    }

    public static IssueReason parse(String s) {
        for (IssueReason r : values()) {
            if (r.name().equals(s)) {
                return r;
            }
        }
        return SecretTampered; // the safe reading of an unknown reason: revoke what came before
    }
}
