package dev.kpat.lifecycle;

import dev.kpat.api.RevocationReason;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a token with {@code revokeOnReuse} must revoke its current value because a value it revoked after a leak
 * was presented to a verifier: someone who still has the old value is using it, so the leak is being exploited and
 * the current value (written where the old one was) is not to be trusted either. Pure.
 *
 * <p>Detections belong to a "family" of values: once the operator revoked a current value for a reuse, the user's
 * rotation starts a new family, and values revoked before that (the dead ones an attacker keeps trying) no longer
 * revoke the new one; only values revoked after it do.
 */
public final class ReuseResponse {
    /** What the decision needs of one TokenRecord. Times may be null. */
    public record Value(String tokenId, String revocationReason, Instant revokedAt, Instant reuseDetectedAt) {
    }

    private ReuseResponse() {
    }

    /**
     * The value whose reuse revokes the current one, or empty.
     *
     * @param current the value in the Secret; only a live one can be revoked
     * @param currentIssuedAt when the current value was issued: detections before it concern older values
     */
    public static Optional<Value> trigger(boolean revokeOnReuse, Value current, Instant currentIssuedAt,
                                          Collection<Value> values) {
        if (!revokeOnReuse || current == null || current.revokedAt() != null || currentIssuedAt == null) {
            return Optional.empty();
        }
        Instant familyStart = values.stream()
                .filter(v -> RevocationReason.REUSE_DETECTED.equals(v.revocationReason()) && v.revokedAt() != null)
                .map(Value::revokedAt).max(Comparator.naturalOrder()).orElse(null);
        return values.stream()
                .filter(v -> !Objects.equals(v.tokenId(), current.tokenId()))
                .filter(v -> RevocationReason.MANUAL_ROTATION.equals(v.revocationReason()) && v.revokedAt() != null)
                .filter(v -> v.reuseDetectedAt() != null && !v.reuseDetectedAt().isBefore(currentIssuedAt))
                .filter(v -> familyStart == null || v.revokedAt().isAfter(familyStart))
                .max(Comparator.comparing(Value::reuseDetectedAt));
    }
}
