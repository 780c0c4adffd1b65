package dev.kpat.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.RotationSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final OperatorSettings settings = OperatorSettings.defaults();

    private static PersonalAccessTokenSpec spec(Consumer<PersonalAccessTokenSpec> edit) {
        PersonalAccessTokenSpec s = new PersonalAccessTokenSpec();
        s.setOwner("user-a");
        s.setScopes(List.of("read", "write:tasks"));
        edit.accept(s);
        return s;
    }

    private SpecValidator.Result validate(PersonalAccessTokenSpec s) {
        return SpecValidator.validate(new SpecInput(s, settings, NOW, null));
    }

    @Test
    void minimalSpecGetsTheDefaultLifetime() {
        var r = validate(spec(s -> { }));
        assertThat(r.valid()).isTrue();
        assertThat(r.plan().expiryFor(NOW)).isEqualTo(NOW.plus(Duration.ofDays(90)));
        assertThat(r.plan().renewalTimeFor(NOW)).isNull();
        assertThat(r.plan().gracePeriod()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void rotationDefaultsToOneThirdOfTheLifetime() {
        var r = validate(spec(s -> {
            s.setTtl("30d");
            RotationSpec rot = new RotationSpec();
            rot.setEnabled(true);
            s.setRotation(rot);
        }));
        assertThat(r.plan().renewalTimeFor(NOW)).isEqualTo(NOW.plus(Duration.ofDays(20)));
    }

    @Test
    void fixedExpiryIsKept() {
        var r = validate(spec(s -> s.setExpiresAt("2027-01-01T00:00:00Z")));
        assertThat(r.plan().expiryFor(NOW.plusSeconds(99))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void neverNeedsTheOperatorFlag() {
        assertThat(validate(spec(s -> s.setTtl("never"))).message())
                .isEqualTo("spec.ttl: non-expiring tokens are not allowed (the operator runs without --allow-non-expiring)");
        var allowed = SpecValidator.validate(new SpecInput(spec(s -> s.setTtl("never")),
                settings.withAllowNonExpiring(true), NOW, null));
        assertThat(allowed.valid()).isTrue();
        assertThat(allowed.plan().expiryFor(NOW)).isNull();
    }

    @Test
    void eachInvalidSpecNamesTheFieldAndTheRule() {
        assertThat(validate(spec(s -> s.setScopes(List.of("Read")))).message())
                .isEqualTo("spec.scopes: 'Read' is not '*', 'action' or 'action:resource' with lowercase words [a-z0-9-]");
        assertThat(validate(spec(s -> s.setScopes(List.of("read", "read")))).message())
                .isEqualTo("spec.scopes: 'read' is listed twice");
        assertThat(validate(spec(s -> s.setScopes(List.of()))).message())
                .isEqualTo("spec.scopes: needs at least one scope");
        assertThat(validate(spec(s -> {
            s.setTtl("30d");
            s.setExpiresAt("2027-01-01T00:00:00Z");
        })).message()).isEqualTo("spec.expiresAt: set at most one of spec.expiresAt and spec.ttl");
        assertThat(validate(spec(s -> s.setExpiresAt("2020-01-01T00:00:00Z"))).message())
                .isEqualTo("spec.expiresAt: '2020-01-01T00:00:00Z' is in the past");
        assertThat(validate(spec(s -> s.setExpiresAt("tomorrow"))).message())
                .isEqualTo("spec.expiresAt: 'tomorrow' is not an RFC 3339 time (e.g. 2027-01-31T00:00:00Z)");
        assertThat(validate(spec(s -> s.setTtl("400d"))).message())
                .isEqualTo("spec.ttl: '400d' exceeds the maximum lifetime 366d");
        assertThat(validate(spec(s -> s.setExpiresAt("2030-01-01T00:00:00Z"))).message())
                .startsWith("spec.expiresAt: lifetime ").endsWith(" exceeds the maximum 366d");
        assertThat(validate(spec(s -> s.setTtl("5x"))).message())
                .isEqualTo("spec.ttl: '5x' is not a duration (use e.g. 30d, 720h, 90m or 1h30m)");
        assertThat(validate(spec(s -> s.setDescription("x".repeat(257)))).message())
                .isEqualTo("spec.description: must be at most 256 characters (has 257)");
        assertThat(validate(spec(s -> s.setSecretName("Bad_Name"))).message())
                .startsWith("spec.secretName: 'Bad_Name' is not a valid Secret name");
        assertThat(validate(spec(s -> s.setOwner(" "))).message()).isEqualTo("spec.owner: is required");
    }

    @Test
    void rotationRules() {
        RotationSpec rot = new RotationSpec();
        rot.setEnabled(true);
        rot.setRenewBefore("30d");
        assertThat(validate(spec(s -> {
            s.setTtl("30d");
            s.setRotation(rot);
        })).message()).isEqualTo("spec.rotation.renewBefore: '30d' must be shorter than the lifetime 30d");
        RotationSpec bad = new RotationSpec();
        bad.setGracePeriod("soon");
        assertThat(validate(spec(s -> s.setRotation(bad))).message())
                .isEqualTo("spec.rotation.gracePeriod: 'soon' is not a duration (use e.g. 30d, 720h, 90m or 1h30m)");
        RotationSpec enabled = new RotationSpec();
        enabled.setEnabled(true);
        assertThat(validate(spec(s -> {
            s.setExpiresAt("2027-01-01T00:00:00Z");
            s.setRotation(enabled);
        })).message()).startsWith("spec.rotation.enabled: rotation needs a relative lifetime");
        // an unparsable ttl is reported once, by the lifetime check, not as a crash of the rotation check
        assertThat(validate(spec(s -> {
            s.setTtl("5x");
            s.setRotation(rot);
        })).violations()).hasSize(1);
    }

    @Test
    void pastExpiryOnAnIssuedTokenIsAllowedItJustExpires() {
        var r = SpecValidator.validate(new SpecInput(spec(s -> s.setExpiresAt("2026-11-01T00:00:00Z")), settings, NOW,
                NOW.minus(Duration.ofDays(30))));
        assertThat(r.valid()).isTrue();
    }
}
