package dev.kpat.verify;

/** A decision, with the entry it was made on (null for malformed and unknown tokens). */
public record Verification(Outcome outcome, IndexedToken token) {
    public boolean active() {
        return outcome == Outcome.ACTIVE;
    }
}
