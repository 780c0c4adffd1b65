package dev.kpat.verify;

import dev.kpat.token.ScopeSet;

/**
 * One TokenRecord as the verifier keeps it: the digest as four longs, times as epoch milliseconds
 * ({@link #NEVER} when absent), and shared instances for owner, namespace and scopes. Immutable; a record update
 * replaces it.
 */
public final class IndexedToken {
    public static final long NEVER = Long.MAX_VALUE;

    final long d0;
    final long d1;
    final long d2;
    final long d3;
    final String tokenId;
    final String owner;
    final String namespace;
    final String name;
    final ScopeSet scopes;
    /** Seconds are all {@code iat} needs; an int keeps the entry small. */
    final int issuedAtSeconds;
    final long expiresAt;
    final long validUntil;
    final boolean revoked;
    final boolean pending;
    final boolean blocked;
    /** {@code spec.revocationReason} (a shared instance), or null. */
    final String revocationReason;
    /** The record's resourceVersion: numeric on every API server we know, kept as text only when it is not. */
    final long resourceVersion;
    final String resourceVersionText;

    IndexedToken(long[] digest, String tokenId, String owner, String namespace, String name, ScopeSet scopes,
                 long issuedAt, long expiresAt, long validUntil, boolean revoked, boolean pending, boolean blocked,
                 String revocationReason, String resourceVersion) {
        this.d0 = digest[0];
        this.d1 = digest[1];
        this.d2 = digest[2];
        this.d3 = digest[3];
        this.tokenId = tokenId;
        this.owner = owner;
        this.namespace = namespace;
        this.name = name;
        this.scopes = scopes;
        this.issuedAtSeconds = (int) Math.min(Integer.MAX_VALUE, issuedAt / 1000);
        this.expiresAt = expiresAt;
        this.validUntil = validUntil;
        this.revoked = revoked;
        this.pending = pending;
        this.blocked = blocked;
        this.revocationReason = revocationReason;
        long numeric = -1;
        if (resourceVersion != null && !resourceVersion.isEmpty() && resourceVersion.length() < 19
                && resourceVersion.chars().allMatch(Character::isDigit)) {
            numeric = Long.parseLong(resourceVersion);
        }
        this.resourceVersion = numeric;
        this.resourceVersionText = numeric < 0 ? resourceVersion : null;
    }

    public String resourceVersion() {
        return resourceVersion < 0 ? resourceVersionText : Long.toString(resourceVersion);
    }

    /** Constant-time comparison with a presented digest: no early exit that leaks how many bytes matched. */
    boolean digestEquals(long[] digest) {
        return ((d0 ^ digest[0]) | (d1 ^ digest[1]) | (d2 ^ digest[2]) | (d3 ^ digest[3])) == 0;
    }

    public String tokenId() {
        return tokenId;
    }

    public String owner() {
        return owner;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** Why the value was revoked ({@code spec.revocationReason}), or null. */
    public String revocationReason() {
        return revocationReason;
    }

    public ScopeSet scopes() {
        return scopes;
    }

    /** Epoch seconds, for RFC 7662 {@code iat}. */
    public long issuedAtSeconds() {
        return Integer.toUnsignedLong(issuedAtSeconds);
    }

    /** Epoch milliseconds when this value stops authenticating (expiry, or the end of a rotation's grace). */
    public long endsAtMillis() {
        return Math.min(expiresAt, validUntil);
    }

    /** Epoch seconds, for RFC 7662 {@code exp}; null when the token never expires. */
    public Long expiresAtSeconds() {
        return expiresAt == NEVER ? null : expiresAt / 1000;
    }
}
