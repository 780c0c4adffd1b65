package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.RevocationReason;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Workload restarts on a new value, on the embedded mock API. */
@ExtendWith(MockHarnesses.class)
class WorkloadRestartTest extends WorkloadRestartContract {
    /**
     * Restarts are best effort and come after the leaked value is revoked: when the workloads cannot even be listed
     * (here the API refuses the list, as it does when RBAC lacks it),
     * the rotation after a leak still kills the leaked value in the reconcile that wrote its successor, issues one
     * value only, and says so.
     */
    @Test
    void aLeakRotationRevokesTheLeakedValueEvenWhenWorkloadsCannotBeListed() {
        h.cluster.server().expect().get().withPath("/apis/apps/v1/namespaces/" + h.ns + "/deployments")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\","
                        + "\"message\":\"injected list failure\"}")
                .always();
        h.create("leaky", s -> s.setTtl("30d"));
        PersonalAccessToken issued = h.awaitPat("leaky", p -> phaseIs(p, "Active"));
        String leakedId = issued.getStatus().getTokenId();
        String leaked = h.valueIn("leaky");

        h.annotate("leaky", Labels.ROTATE_ANNOTATION, "1");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> !Objects.equals(leaked, h.valueIn("leaky")));
        // the same reconcile that wrote the new value revokes the leaked one; a retry comes only seconds later
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> h.record(leakedId).getSpec().getRevokedAt() != null);
        assertThat(h.record(leakedId).getSpec().getRevocationReason()).isEqualTo(RevocationReason.MANUAL_ROTATION);

        PersonalAccessToken rotated = h.awaitPat("leaky", p -> "1".equals(p.getStatus().getObservedRotateRequest()));
        assertThat(rotated.getStatus().getRevision()).isEqualTo(2L);
        assertThat(rotated.getStatus().getConditions()).filteredOn(c -> "Ready".equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("Rotated"));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.hasEvent("leaky", "Rotated"));
        // one rotation, one new value: nothing is issued again on a retry
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .until(() -> h.recordsOf(rotated).size() == 2);
    }
}
