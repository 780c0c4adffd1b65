package dev.kpat.lifecycle;

/** One broken rule: the field it concerns and what is wrong, in words a user can act on. */
public record Violation(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
