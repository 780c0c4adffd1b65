package dev.kpat.lifecycle;

import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.RotationSpec;
import dev.kpat.lifecycle.TokenDecision.NotReady;
import dev.kpat.policy.AppliedPolicy;
import dev.kpat.policy.PolicyChain;
import dev.kpat.policy.PolicyDefaults;
import dev.kpat.policy.PolicySubject;
import dev.kpat.policy.PolicyViolation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Judges a token's spec against the operator's settings and the policies that govern it: the plan of its values and
 * the prefix of new ones, or why none may be issued (an invalid spec, a broken policy rule). Pure.
 */
public final class SpecJudgement {
    /** A plan and prefix, or a refusal. */
    public record Result(TokenPlan plan, String prefix, NotReady refusal) {
    }

    private SpecJudgement() {
    }

    public static Result judge(TokenFacts facts, OperatorSettings settings, Instant now) {
        List<AppliedPolicy> applied = facts.policies().applied();
        PolicyDefaults defaults = PolicyDefaults.of(applied);
        Instant issuedAt = facts.status().issuedAt();
        SpecValidator.Result validation = SpecValidator.validate(new SpecInput(withDefaults(facts.spec(), defaults),
                settingsWith(settings, defaults), now, issuedAt));
        if (!validation.valid()) {
            return refused(facts, Reason.InvalidSpec, validation.message(), List.of());
        }
        TokenPlan plan = PolicyChain.requiresRevokeOnReuse(applied) ? validation.plan().withRevokeOnReuse()
                : validation.plan();
        Instant from = issuedAt == null ? now : issuedAt;
        Duration lifetime = plan.fixedExpiry() != null ? Duration.between(from, plan.fixedExpiry()) : plan.lifetime();
        List<PolicyViolation> violations = PolicyChain.evaluate(applied, new PolicySubject(plan.owner(), plan.scopes(),
                lifetime, ref -> facts.policies().liveTokensAhead().getOrDefault(ref, 0)));
        if (!violations.isEmpty()) {
            String message = violations.stream().map(PolicyViolation::toString).collect(Collectors.joining("; "));
            return refused(facts, Reason.PolicyViolation, message, violations);
        }
        return new Result(plan, defaults.tokenPrefix() == null ? settings.tokenPrefix() : defaults.tokenPrefix(), null);
    }

    /**
     * A token that breaks a policy is not issued; one already issued is blocked (verifiers reject it) but not
     * revoked, so loosening the policy brings it back.
     */
    private static Result refused(TokenFacts facts, Reason reason, String message, List<PolicyViolation> violations) {
        RecordFacts current = facts.named();
        String block = !violations.isEmpty() && current != null && !current.retired()
                && !message.equals(current.blockedBy()) ? current.id() : null;
        return new Result(null, null, new NotReady(dev.kpat.api.Phase.Failed, reason, message, null, violations,
                block, !message.equals(facts.status().readyMessage())));
    }

    /**
     * The spec with the policies' rotation for a token that sets none and can rotate (a relative lifetime: a fixed
     * expiresAt or ttl: never cannot). A rotation that sets only {@code revokeOnReuse} configures no schedule: the
     * default applies, with the token's {@code revokeOnReuse}. Never written back.
     */
    public static PersonalAccessTokenSpec withDefaults(PersonalAccessTokenSpec spec, PolicyDefaults defaults) {
        if (spec == null || !setsNoSchedule(spec.getRotation()) || defaults.rotation() == null
                || spec.getExpiresAt() != null || SpecValidator.NEVER.equals(spec.getTtl())) {
            return spec;
        }
        PersonalAccessTokenSpec copy = Serialization.clone(spec);
        RotationSpec rotation = Serialization.clone(defaults.rotation());
        if (spec.getRotation() != null && spec.getRotation().getRevokeOnReuse() != null) {
            rotation.setRevokeOnReuse(spec.getRotation().getRevokeOnReuse());
        }
        copy.setRotation(rotation);
        return copy;
    }

    private static boolean setsNoSchedule(RotationSpec r) {
        return r == null || (r.getEnabled() == null && r.getRenewBefore() == null && r.getGracePeriod() == null);
    }

    /** The operator settings with the policies' default lifetime, never above the operator's own maximum. */
    private static OperatorSettings settingsWith(OperatorSettings settings, PolicyDefaults defaults) {
        Duration lifetime = defaults.defaultLifetime();
        if (lifetime == null || lifetime.compareTo(settings.maxLifetime()) > 0) {
            return settings;
        }
        return settings.withDefaultLifetime(lifetime);
    }
}
