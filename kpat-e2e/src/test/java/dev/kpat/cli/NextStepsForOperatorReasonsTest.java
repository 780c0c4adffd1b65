package dev.kpat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.lifecycle.Reason;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl pat} (which does not depend on the operator) has a next step for every reason in the operator's
 * vocabulary that means "look at this": each Warning reason, and Expired and Revoked.
 */
class NextStepsForOperatorReasonsTest {
    @Test
    void everyWarningReasonOfTheOperatorHasAHint() {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName("ci").withNamespace("team-a").build());
        pat.setSpec(new PersonalAccessTokenSpec());
        pat.getSpec().setOwner("alice");
        assertThat(Arrays.stream(Reason.values()).filter(r -> r.warning() || r == Reason.Expired
                || r == Reason.Revoked)).isNotEmpty()
                .allSatisfy(r -> assertThat(NextSteps.hint(r.name(), pat)).as(r.name()).isPresent());
    }
}
