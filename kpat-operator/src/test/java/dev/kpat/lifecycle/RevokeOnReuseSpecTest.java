package dev.kpat.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.RotationSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevokeOnReuseSpecTest {
    private static TokenPlan plan(RotationSpec rotation, String ttl, String expiresAt) {
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner("alice");
        spec.setScopes(List.of("read"));
        spec.setTtl(ttl);
        spec.setExpiresAt(expiresAt);
        spec.setRotation(rotation);
        var r = SpecValidator.validate(new SpecInput(spec, OperatorSettings.defaults(),
                Instant.parse("2026-11-24T12:00:00Z"), null));
        assertThat(r.violations()).isEmpty();
        return r.plan();
    }

    @Test
    void revokeOnReuseNeedsNoScheduleAndWorksWithAnyLifetime() {
        RotationSpec onlyReuse = new RotationSpec();
        onlyReuse.setRevokeOnReuse(true);
        assertThat(plan(onlyReuse, "30d", null).revokeOnReuse()).isTrue();
        assertThat(plan(onlyReuse, "30d", null).rotationEnabled()).isFalse();
        assertThat(plan(onlyReuse, null, "2027-01-01T00:00:00Z").revokeOnReuse()).isTrue();
        assertThat(plan(null, "30d", null).revokeOnReuse()).isFalse();
        assertThat(plan(null, "30d", null).withRevokeOnReuse().revokeOnReuse()).isTrue();
    }
}
