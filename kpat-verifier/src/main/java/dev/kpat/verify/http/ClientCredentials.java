package dev.kpat.verify.http;

/** Registered clients of the introspection endpoint (RFC 7662 §2.1): a client id and its secret. */
public interface ClientCredentials {
    /** No registered clients. */
    ClientCredentials NONE = (id, secret) -> false;

    /** Whether {@code secret} is {@code id}'s secret; implementations compare in constant time. */
    boolean matches(String id, String secret);
}
