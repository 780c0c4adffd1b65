package dev.kpat.audit;

/** One compliance finding about one token: which rule it breaks and why, in words a reviewer can act on. */
public record Finding(String namespace, String name, String owner, String rule, String detail) {
}
