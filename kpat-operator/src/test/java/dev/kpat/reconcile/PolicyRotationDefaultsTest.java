package dev.kpat.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.RotationSpec;
import dev.kpat.lifecycle.SpecJudgement;
import dev.kpat.policy.PolicyDefaults;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyRotationDefaultsTest {
    private static final RotationSpec POLICY_ROTATION = rotation(true, "10d", null);

    private static RotationSpec rotation(Boolean enabled, String renewBefore, Boolean revokeOnReuse) {
        RotationSpec r = new RotationSpec();
        r.setEnabled(enabled);
        r.setRenewBefore(renewBefore);
        r.setRevokeOnReuse(revokeOnReuse);
        return r;
    }

    private static PersonalAccessTokenSpec spec(RotationSpec rotation) {
        PersonalAccessTokenSpec s = new PersonalAccessTokenSpec();
        s.setOwner("alice");
        s.setScopes(List.of("read"));
        s.setTtl("30d");
        s.setRotation(rotation);
        return s;
    }

    private static RotationSpec effective(RotationSpec own) {
        return SpecJudgement.withDefaults(spec(own), new PolicyDefaults(null, POLICY_ROTATION, null)).getRotation();
    }

    @Test
    void aRotationThatSetsOnlyRevokeOnReuseStillGetsThePolicySchedule() {
        RotationSpec r = effective(rotation(null, null, true));
        assertThat(r.isEnabled()).isTrue();
        assertThat(r.getRenewBefore()).isEqualTo("10d");
        assertThat(r.getRevokeOnReuse()).isTrue();
        assertThat(POLICY_ROTATION.getRevokeOnReuse()).as("the policy's own default is not changed").isNull();
    }

    @Test
    void aTokenThatConfiguresItsScheduleKeepsIt() {
        RotationSpec own = rotation(false, null, true);
        assertThat(effective(own)).isSameAs(own);
        assertThat(effective(null).getRenewBefore()).isEqualTo("10d");
    }
}
