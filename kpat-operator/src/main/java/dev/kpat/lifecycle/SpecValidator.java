package dev.kpat.lifecycle;

import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.RotationSpec;
import dev.kpat.token.Durations;
import dev.kpat.token.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a PersonalAccessToken spec as a chain of small named checks, then resolves it into a {@link TokenPlan}.
 * The CRD schema carries the same rules where a schema can express them; these checks also cover what needs the
 * operator's settings or the clock (maximum lifetime, past expiry, non-expiring tokens).
 */
public final class SpecValidator {
    public static final String NEVER = "never";
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    private static final List<SpecCheck> CHECKS = List.of(
            SpecValidator::owner,
            SpecValidator::description,
            SpecValidator::scopes,
            SpecValidator::lifetime,
            SpecValidator::rotation,
            SpecValidator::secretName);

    private SpecValidator() {
    }

    /** The outcome: a plan, or the violations that stop issuing. */
    public record Result(TokenPlan plan, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }

        /** All violations in one line, for a condition message. */
        public String message() {
            return String.join("; ", violations.stream().map(Violation::toString).toList());
        }
    }

    public static Result validate(SpecInput input) {
        List<Violation> violations = new ArrayList<>();
        if (input.spec() == null) {
            return new Result(null, List.of(new Violation("spec", "is required")));
        }
        for (SpecCheck check : CHECKS) {
            violations.addAll(check.check(input));
        }
        return violations.isEmpty() ? new Result(plan(input), List.of()) : new Result(null, List.copyOf(violations));
    }

    private static List<Violation> owner(SpecInput in) {
        String owner = in.spec().getOwner();
        return owner == null || owner.isBlank() ? List.of(new Violation("spec.owner", "is required")) : List.of();
    }

    private static List<Violation> description(SpecInput in) {
        String d = in.spec().getDescription();
        return d != null && d.length() > 256
                ? List.of(new Violation("spec.description", "must be at most 256 characters (has " + d.length() + ")"))
                : List.of();
    }

    private static List<Violation> scopes(SpecInput in) {
        List<String> scopes = in.spec().getScopes();
        if (scopes == null || scopes.isEmpty()) {
            return List.of(new Violation("spec.scopes", "needs at least one scope"));
        }
        List<Violation> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String s : scopes) {
            if (!Scope.isValid(s)) {
                out.add(new Violation("spec.scopes", "'" + s + "' is not '*', 'action' or 'action:resource'"
                        + " with lowercase words [a-z0-9-]"));
            } else if (!seen.add(s)) {
                out.add(new Violation("spec.scopes", "'" + s + "' is listed twice"));
            }
        }
        return out;
    }

    private static List<Violation> lifetime(SpecInput in) {
        PersonalAccessTokenSpec spec = in.spec();
        OperatorSettings settings = in.settings();
        if (spec.getExpiresAt() != null && spec.getTtl() != null) {
            return List.of(new Violation("spec.expiresAt", "set at most one of spec.expiresAt and spec.ttl"));
        }
        if (spec.getExpiresAt() != null) {
            Instant expiry;
            try {
                expiry = parseTime(spec.getExpiresAt());
            } catch (IllegalArgumentException e) {
                return List.of(new Violation("spec.expiresAt", e.getMessage()));
            }
            if (in.issuedAt() == null && !expiry.isAfter(in.now())) {
                return List.of(new Violation("spec.expiresAt", "'" + spec.getExpiresAt() + "' is in the past"));
            }
            Instant from = in.issuedAt() == null ? in.now() : in.issuedAt();
            Duration lifetime = Duration.between(from, expiry);
            return lifetime.compareTo(settings.maxLifetime()) > 0
                    ? List.of(new Violation("spec.expiresAt", "lifetime " + Durations.format(lifetime.withNanos(0))
                    + " exceeds the maximum " + Durations.format(settings.maxLifetime())))
                    : List.of();
        }
        if (NEVER.equals(spec.getTtl())) {
            return settings.allowNonExpiring() ? List.of()
                    : List.of(new Violation("spec.ttl", "non-expiring tokens are not allowed"
                    + " (the operator runs without --allow-non-expiring)"));
        }
        if (spec.getTtl() != null) {
            Duration ttl;
            try {
                ttl = Durations.parse(spec.getTtl());
            } catch (IllegalArgumentException e) {
                return List.of(new Violation("spec.ttl", e.getMessage()));
            }
            if (ttl.isZero()) {
                return List.of(new Violation("spec.ttl", "must be longer than zero"));
            }
            return ttl.compareTo(settings.maxLifetime()) > 0
                    ? List.of(new Violation("spec.ttl", "'" + spec.getTtl() + "' exceeds the maximum lifetime "
                    + Durations.format(settings.maxLifetime())))
                    : List.of();
        }
        return List.of();
    }

    private static List<Violation> rotation(SpecInput in) {
        RotationSpec rotation = in.spec().getRotation();
        if (rotation == null) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>();
        Duration renewBefore = parseDuration(rotation.getRenewBefore(), "spec.rotation.renewBefore", out);
        parseDuration(rotation.getGracePeriod(), "spec.rotation.gracePeriod", out);
        if (!rotation.isEnabled()) {
            return out;
        }
        if (in.spec().getExpiresAt() != null) {
            out.add(new Violation("spec.rotation.enabled", "rotation needs a relative lifetime (spec.ttl or the"
                    + " default): with a fixed spec.expiresAt every new value would expire at the same instant"));
        } else if (NEVER.equals(in.spec().getTtl())) {
            out.add(new Violation("spec.rotation.enabled", "a non-expiring token has no renewal time to rotate at"));
        } else if (renewBefore != null) {
            Duration lifetime = relativeLifetimeOrNull(in);
            if (lifetime != null && renewBefore.compareTo(lifetime) >= 0) {
                out.add(new Violation("spec.rotation.renewBefore", "'" + rotation.getRenewBefore()
                        + "' must be shorter than the lifetime " + Durations.format(lifetime)));
            }
        }
        return out;
    }

    private static List<Violation> secretName(SpecInput in) {
        String name = in.spec().getSecretName();
        if (name == null) {
            return List.of();
        }
        return name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches() ? List.of()
                : List.of(new Violation("spec.secretName", "'" + name + "' is not a valid Secret name"
                + " (lowercase DNS subdomain, at most 253 characters)"));
    }

    private static TokenPlan plan(SpecInput in) {
        PersonalAccessTokenSpec spec = in.spec();
        Instant fixedExpiry = spec.getExpiresAt() == null ? null : parseTime(spec.getExpiresAt());
        Duration lifetime = fixedExpiry == null ? relativeLifetime(in) : null;
        RotationSpec rotation = spec.getRotation();
        boolean rotate = rotation != null && rotation.isEnabled();
        Duration renewBefore = null;
        if (rotate) {
            renewBefore = rotation.getRenewBefore() != null ? Durations.parse(rotation.getRenewBefore())
                    : lifetime.dividedBy(3);
        }
        Duration grace = rotation != null && rotation.getGracePeriod() != null
                ? Durations.parse(rotation.getGracePeriod()) : in.settings().defaultGracePeriod();
        boolean revokeOnReuse = rotation != null && Boolean.TRUE.equals(rotation.getRevokeOnReuse());
        return new TokenPlan(spec.getOwner(), List.copyOf(spec.getScopes()), fixedExpiry, lifetime, rotate,
                renewBefore, grace, revokeOnReuse);
    }

    /** The ttl or the default lifetime; null for {@code ttl: never}. */
    private static Duration relativeLifetime(SpecInput in) {
        String ttl = in.spec().getTtl();
        if (NEVER.equals(ttl)) {
            return null;
        }
        return ttl == null ? in.settings().defaultLifetime() : Durations.parse(ttl);
    }

    /** Like {@link #relativeLifetime} but null when the ttl does not parse (the lifetime check reports that). */
    private static Duration relativeLifetimeOrNull(SpecInput in) {
        try {
            return relativeLifetime(in);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Duration parseDuration(String text, String field, List<Violation> out) {
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            out.add(new Violation(field, e.getMessage()));
            return null;
        }
    }

    /** Parses an RFC 3339 time. */
    public static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not an RFC 3339 time (e.g. 2027-01-31T00:00:00Z)");
        }
    }
}
