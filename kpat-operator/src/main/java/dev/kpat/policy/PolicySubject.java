package dev.kpat.policy;

import java.time.Duration;
import java.util.List;

/**
 * What policies judge about a token.
 *
 * @param lifetime        the lifetime of each value; null for a non-expiring token
 * @param liveTokensAhead for each policy, how many live tokens of the same owner it governs that came before this one
 *                        (oldest first): what {@code maxTokensPerOwner} counts
 */
public record PolicySubject(String owner, List<String> scopes, Duration lifetime,
                            java.util.function.ToIntFunction<PolicyRef> liveTokensAhead) {
}
