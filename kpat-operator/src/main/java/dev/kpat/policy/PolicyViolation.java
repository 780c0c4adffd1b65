package dev.kpat.policy;

/** A rule of one policy that a token breaks, in words that name both. */
public record PolicyViolation(PolicyRef policy, String rule, String message) {
    @Override
    public String toString() {
        return policy + ": " + rule + ": " + message;
    }
}
