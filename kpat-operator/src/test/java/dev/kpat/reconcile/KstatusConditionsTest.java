package dev.kpat.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.LifecyclePlanner.Step;
import dev.kpat.lifecycle.Reason;
import dev.kpat.lifecycle.TokenDecision.Live;
import dev.kpat.lifecycle.TokenDecision.NotReady;
import dev.kpat.lifecycle.TokenPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kstatus conditions Flux reads ({@code Reconciling}, {@code Stalled}, {@code observedGeneration}) as the status
 * recorder writes them, from the same Reason that the Ready condition and the Events carry.
 */
class KstatusConditionsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    /** What stops a token until a person acts, as README's GitOps section and Argo CD's health.lua say. */
    private static final Set<Reason> STALLED = EnumSet.of(Reason.InvalidSpec, Reason.PolicyViolation,
            Reason.SecretConflict, Reason.OwnerDeleted, Reason.RevokedOnReuse, Reason.Expired);

    private static PersonalAccessToken pat(long generation) {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("ci").withGeneration(generation)
                .build());
        pat.setSpec(new PersonalAccessTokenSpec());
        return pat;
    }

    private static Condition condition(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    /** Every reason a token can be held for without a value (the planner's NotReady reasons). */
    @ParameterizedTest
    @EnumSource(value = Reason.class, names = {"InvalidSpec", "PolicyViolation", "SecretConflict", "OwnerNotFound",
            "OwnerDeleted", "RevokedOnReuse"})
    void aTokenWithoutAValueIsStalledOnlyWhenItWaitsForAPerson(Reason reason) {
        var status = TokenStatusRecorder.notReady(pat(3), new NotReady(Phase.Failed, reason, "why " + reason, null,
                List.of(), null, true), NOW);
        Condition stalled = condition(status.getConditions(), "Stalled");
        Condition reconciling = condition(status.getConditions(), "Reconciling");
        assertThat(stalled.getStatus()).isEqualTo(STALLED.contains(reason) ? "True" : "False");
        assertThat(reconciling.getStatus()).isEqualTo(STALLED.contains(reason) ? "False" : "True");
        Condition abnormal = STALLED.contains(reason) ? stalled : reconciling;
        assertThat(abnormal.getReason()).isEqualTo(reason.name());
        assertThat(abnormal.getMessage()).isEqualTo("why " + reason);
        assertThat(status.getObservedGeneration()).isEqualTo(3L);
        assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    }

    @Test
    void aFailedReconcileIsRetriedSoItIsReconcilingNotStalled() {
        var status = TokenStatusRecorder.error(pat(1), new KubernetesClientException("boom", 503, null), NOW);
        assertThat(condition(status.getConditions(), "Reconciling").getStatus()).isEqualTo("True");
        assertThat(condition(status.getConditions(), "Reconciling").getReason()).isEqualTo("ReconcileError");
        assertThat(condition(status.getConditions(), "Stalled").getStatus()).isEqualTo("False");
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void anIssuedTokenIsNeitherAndAnExpiredOneIsStalled() {
        PersonalAccessToken pat = pat(2);
        TokenRecord record = new TokenRecord();
        record.setMetadata(new ObjectMetaBuilder().withName("tok-1").build());
        Applied applied = new Applied(record, "kpat_…abcd", List.of(), false);
        TokenPlan plan = new TokenPlan("u", List.of("read"), null, Duration.ofDays(30), false, null, Duration.ZERO);
        var active = TokenStatusRecorder.live(pat, live(plan, Reason.Issued), applied, NOW);
        assertThat(condition(active.getConditions(), "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(active.getConditions(), "Stalled").getStatus()).isEqualTo("False");
        assertThat(condition(active.getConditions(), "Reconciling").getStatus()).isEqualTo("False");
        assertThat(active.getObservedGeneration()).isEqualTo(2L);

        pat.setStatus(active);
        Instant later = NOW.plus(Duration.ofDays(30));
        var expired = TokenStatusRecorder.live(pat, live(plan, Reason.Expired), applied, later);
        Condition stalled = condition(expired.getConditions(), "Stalled");
        assertThat(stalled.getStatus()).isEqualTo("True");
        assertThat(stalled.getReason()).isEqualTo("Expired");
        assertThat(stalled.getLastTransitionTime()).isEqualTo(later.toString());
        // Reconciling stayed False: its transition time is when it became False
        assertThat(condition(expired.getConditions(), "Reconciling").getLastTransitionTime())
                .isEqualTo(NOW.toString());
    }

    @Test
    void aRevokedTokenIsSettledNotStalled() {
        // spec.revoked is what the user asked for: a GitOps health check must not fail on it
        var status = TokenStatusRecorder.revoked(pat(4), NOW);
        assertThat(condition(status.getConditions(), "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(status.getConditions(), "Stalled").getStatus()).isEqualTo("False");
        assertThat(condition(status.getConditions(), "Reconciling").getStatus()).isEqualTo("False");
        assertThat(status.getObservedGeneration()).isEqualTo(4L);
    }

    @Test
    void everyReasonIsAtMostOneOfStalledAndReconciling() {
        for (Reason r : Reason.values()) {
            assertThat(r.stalls() && r.reconciles()).as(r.name()).isFalse();
            assertThat(r.stalls()).as(r.name()).isEqualTo(STALLED.contains(r));
        }
    }

    private static Live live(TokenPlan plan, Reason ready) {
        return new Live(Step.KEEP, null, plan, "kpat_", null, List.of(), null, false, false, NOW,
                NOW.plus(Duration.ofDays(30)), null, ready, false, null, 0);
    }
}
