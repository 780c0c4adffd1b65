package dev.kpat.policy;

import dev.kpat.api.TokenPolicySpec;
import dev.kpat.token.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What is wrong with a policy's own content, for its status (the schema catches most of it at the API). */
public final class PolicyValidation {
    private PolicyValidation() {
    }

    public static List<String> problems(TokenPolicySpec spec) {
        List<String> out = new ArrayList<>();
        if (spec == null) {
            return out;
        }
        check(out, "maxLifetime", spec.getMaxLifetime(), Durations::parse);
        check(out, "defaultLifetime", spec.getDefaultLifetime(), Durations::parse);
        if (spec.getRotation() != null) {
            check(out, "rotation.renewBefore", spec.getRotation().getRenewBefore(), Durations::parse);
            check(out, "rotation.gracePeriod", spec.getRotation().getGracePeriod(), Durations::parse);
        }
        for (String p : spec.getAllowedScopes() == null ? List.<String>of() : spec.getAllowedScopes()) {
            check(out, "allowedScopes", p, ScopePattern::parse);
        }
        for (String p : spec.getDeniedScopes() == null ? List.<String>of() : spec.getDeniedScopes()) {
            check(out, "deniedScopes", p, ScopePattern::parse);
        }
        for (String p : spec.getAllowedOwners() == null ? List.<String>of() : spec.getAllowedOwners()) {
            check(out, "allowedOwners", p, OwnerPattern::parse);
        }
        if (out.isEmpty() && spec.getMaxLifetime() != null && spec.getDefaultLifetime() != null
                && Durations.parse(spec.getDefaultLifetime()).compareTo(Durations.parse(spec.getMaxLifetime())) > 0) {
            out.add("defaultLifetime " + spec.getDefaultLifetime() + " exceeds maxLifetime " + spec.getMaxLifetime());
        }
        return out;
    }

    private static void check(List<String> out, String field, String value, Consumer<String> parser) {
        if (value == null) {
            return;
        }
        try {
            parser.accept(value);
        } catch (IllegalArgumentException e) {
            out.add(field + ": " + e.getMessage());
        }
    }
}
