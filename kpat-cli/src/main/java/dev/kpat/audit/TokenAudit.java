package dev.kpat.audit;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.Phase;
import dev.kpat.token.Durations;
import dev.kpat.token.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The compliance audit behind {@code kubectl pat audit}: a chain of small named rules over live tokens (what a PAT
 * compliance dashboard shows: non-expiring, wildcard, never or long unused, expiring without rotation, not ready).
 * Revoked tokens are history, not risk, and are skipped. Pure: the caller lists the tokens.
 */
public final class TokenAudit {
    private interface Rule {
        Optional<Finding> check(PersonalAccessToken pat, PersonalAccessTokenStatus status, Instant now);
    }

    private final List<Rule> rules;

    public TokenAudit(AuditRules thresholds) {
        this.rules = List.of(
                TokenAudit::nonExpiring,
                TokenAudit::wildcardScope,
                (p, s, now) -> unused(p, s, now, thresholds.unusedAfter()),
                (p, s, now) -> expiringWithoutRotation(p, s, now, thresholds.expiringWithin()),
                TokenAudit::notReady);
    }

    public List<Finding> audit(List<PersonalAccessToken> pats, Instant now) {
        List<Finding> findings = new ArrayList<>();
        for (PersonalAccessToken pat : pats) {
            PersonalAccessTokenStatus status = pat.getStatus();
            if (pat.getSpec() == null || status == null || status.getPhase() == Phase.Revoked) {
                continue;
            }
            for (Rule rule : rules) {
                rule.check(pat, status, now).ifPresent(findings::add);
            }
        }
        findings.sort(Comparator.comparing(Finding::namespace).thenComparing(Finding::name)
                .thenComparing(Finding::rule));
        return findings;
    }

    private static Optional<Finding> nonExpiring(PersonalAccessToken p, PersonalAccessTokenStatus s, Instant now) {
        return s.getPhase() == Phase.Active && s.getExpiresAt() == null
                ? finding(p, "NonExpiring", "the token never expires") : Optional.empty();
    }

    private static Optional<Finding> wildcardScope(PersonalAccessToken p, PersonalAccessTokenStatus s, Instant now) {
        return p.getSpec().getScopes() != null && p.getSpec().getScopes().contains(Scope.WILDCARD)
                ? finding(p, "WildcardScope", "scope '*' grants every action on every resource") : Optional.empty();
    }

    private static Optional<Finding> unused(PersonalAccessToken p, PersonalAccessTokenStatus s, Instant now,
                                            Duration after) {
        if (s.getPhase() != Phase.Active) {
            return Optional.empty();
        }
        if (s.getLastUsedAt() == null) {
            Instant since = s.getIssuedAt() == null ? null : Instant.parse(s.getIssuedAt());
            return since != null && Duration.between(since, now).compareTo(after) >= 0
                    ? finding(p, "NeverUsed", "issued " + ago(since, now) + " ago and never used")
                    : Optional.empty();
        }
        Instant last = Instant.parse(s.getLastUsedAt());
        return Duration.between(last, now).compareTo(after) >= 0
                ? finding(p, "Unused", "last used " + ago(last, now) + " ago") : Optional.empty();
    }

    private static Optional<Finding> expiringWithoutRotation(PersonalAccessToken p, PersonalAccessTokenStatus s,
                                                             Instant now, Duration within) {
        if (s.getPhase() != Phase.Active || s.getExpiresAt() == null || s.getRenewalTime() != null) {
            return Optional.empty();
        }
        Instant expiry = Instant.parse(s.getExpiresAt());
        return Duration.between(now, expiry).compareTo(within) <= 0
                ? finding(p, "ExpiringSoon", "expires in " + ago(now, expiry) + " and does not rotate")
                : Optional.empty();
    }

    private static Optional<Finding> notReady(PersonalAccessToken p, PersonalAccessTokenStatus s, Instant now) {
        if (s.getPhase() == Phase.Expired) {
            return finding(p, "Expired", "expired at " + s.getExpiresAt() + "; delete it or extend its lifetime");
        }
        var ready = s.getConditions() == null ? null : s.getConditions().stream()
                .filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        return ready != null && "False".equals(ready.getStatus())
                ? finding(p, "NotReady", ready.getReason() + ": " + ready.getMessage()) : Optional.empty();
    }

    private static Optional<Finding> finding(PersonalAccessToken p, String rule, String detail) {
        return Optional.of(new Finding(p.getMetadata().getNamespace(), p.getMetadata().getName(),
                p.getSpec().getOwner(), rule, detail));
    }

    private static String ago(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return Durations.format(d.isNegative() ? Duration.ZERO : Duration.ofSeconds(d.toSeconds()));
    }
}
