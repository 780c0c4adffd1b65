package dev.kpat.policy;

import dev.kpat.api.TokenPolicySpec;
import dev.kpat.token.Durations;
import dev.kpat.token.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges a token against every policy that applies to it. Each rule is a small named check of one policy; a token
 * must keep every rule of every policy, which is what "the most restrictive wins, field by field" means for limits
 * (the intersection of allowed scopes, the shortest maximum lifetime, any {@code requireExpiry}, the lowest
 * {@code maxTokensPerOwner}). A policy field that cannot be read fails closed: it is reported as a violation.
 */
public final class PolicyChain {
    private interface Rule {
        Optional<String> check(TokenPolicySpec policy, PolicySubject token, PolicyRef ref);
    }

    private record NamedRule(String name, Rule rule) {
    }

    private static final List<NamedRule> RULES = List.of(
            new NamedRule("allowedOwners", PolicyChain::allowedOwners),
            new NamedRule("allowWildcardScope", PolicyChain::wildcard),
            new NamedRule("allowedScopes", PolicyChain::allowedScopes),
            new NamedRule("deniedScopes", PolicyChain::deniedScopes),
            new NamedRule("requireExpiry", PolicyChain::requireExpiry),
            new NamedRule("maxLifetime", PolicyChain::maxLifetime),
            new NamedRule("maxTokensPerOwner", PolicyChain::maxTokensPerOwner));

    private PolicyChain() {
    }

    public static List<PolicyViolation> evaluate(List<AppliedPolicy> policies, PolicySubject token) {
        List<PolicyViolation> out = new ArrayList<>();
        for (AppliedPolicy p : policies) {
            for (NamedRule r : RULES) {
                try {
                    r.rule().check(p.spec(), token, p.ref())
                            .ifPresent(m -> out.add(new PolicyViolation(p.ref(), r.name(), m)));
                } catch (IllegalArgumentException unreadable) {
                    out.add(new PolicyViolation(p.ref(), r.name(), "the policy is invalid: " + unreadable.getMessage()));
                }
            }
        }
        return out;
    }

    /**
     * Whether any applying policy turns {@code revokeOnReuse} on: a guard rail, so the most restrictive wins and a
     * token cannot turn it off.
     */
    public static boolean requiresRevokeOnReuse(List<AppliedPolicy> policies) {
        return policies.stream().anyMatch(p -> Boolean.TRUE.equals(p.spec().getRevokeOnReuse()));
    }

    private static Optional<String> allowedOwners(TokenPolicySpec p, PolicySubject t, PolicyRef ref) {
        if (p.getAllowedOwners() == null) {
            return Optional.empty();
        }
        boolean allowed = p.getAllowedOwners().stream().map(OwnerPattern::parse).anyMatch(o -> o.matches(t.owner()));
        return allowed ? Optional.empty()
                : Optional.of("owner '" + t.owner() + "' is not in " + p.getAllowedOwners());
    }

    private static Optional<String> wildcard(TokenPolicySpec p, PolicySubject t, PolicyRef ref) {
        return t.scopes().contains(Scope.WILDCARD) && !Boolean.TRUE.equals(p.getAllowWildcardScope())
                ? Optional.of("scope '*' is not allowed") : Optional.empty();
    }

    private static Optional<String> allowedScopes(TokenPolicySpec p, PolicySubject t, PolicyRef ref) {
        if (p.getAllowedScopes() == null) {
            return Optional.empty();
        }
        List<ScopePattern> allowed = p.getAllowedScopes().stream().map(ScopePattern::parse).toList();
        List<String> outside = t.scopes().stream().filter(Scope::isValid).map(Scope::parse)
                .filter(s -> !s.isWildcard()) // '*' is judged by allowWildcardScope alone
                .filter(s -> allowed.stream().noneMatch(a -> a.covers(s))).map(Scope::toString).toList();
        return outside.isEmpty() ? Optional.empty()
                : Optional.of("scopes " + outside + " are outside " + p.getAllowedScopes());
    }

    private static Optional<String> deniedScopes(TokenPolicySpec p, PolicySubject t, PolicyRef ref) {
        if (p.getDeniedScopes() == null) {
            return Optional.empty();
        }
        List<ScopePattern> denied = p.getDeniedScopes().stream().map(ScopePattern::parse).toList();
        List<String> hit = t.scopes().stream().filter(Scope::isValid).map(Scope::parse)
                .filter(s -> denied.stream().anyMatch(d -> d.overlaps(s))).map(Scope::toString).toList();
        return hit.isEmpty() ? Optional.empty() : Optional.of("scopes " + hit + " are denied by " + p.getDeniedScopes());
    }

    private static Optional<String> requireExpiry(TokenPolicySpec p, PolicySubject t, PolicyRef ref) {
        boolean required = p.getRequireExpiry() == null || p.getRequireExpiry();
        return required && t.lifetime() == null ? Optional.of("tokens must expire") : Optional.empty();
    }

    private static Optional<String> maxLifetime(TokenPolicySpec p, PolicySubject t, PolicyRef ref) {
        if (p.getMaxLifetime() == null || t.lifetime() == null) {
            return Optional.empty();
        }
        Duration max = Durations.parse(p.getMaxLifetime());
        return t.lifetime().compareTo(max) > 0
                ? Optional.of("lifetime " + Durations.format(t.lifetime().withNanos(0)) + " exceeds " + p.getMaxLifetime())
                : Optional.empty();
    }

    private static Optional<String> maxTokensPerOwner(TokenPolicySpec p, PolicySubject t, PolicyRef ref) {
        if (p.getMaxTokensPerOwner() == null) {
            return Optional.empty();
        }
        int ahead = t.liveTokensAhead().applyAsInt(ref);
        return ahead >= p.getMaxTokensPerOwner()
                ? Optional.of("owner '" + t.owner() + "' already has " + ahead + " live tokens; at most "
                + p.getMaxTokensPerOwner() + " are allowed")
                : Optional.empty();
    }
}
