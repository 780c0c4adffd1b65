package dev.kpat.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.lifecycle.LifecyclePlanner.Step;
import dev.kpat.lifecycle.ObservedToken.RecordState;
import dev.kpat.lifecycle.ObservedToken.SecretState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecyclePlannerTest {
    private static final Instant ISSUED = Instant.parse("2026-11-01T00:00:00Z");
    private final TokenPlan rotating = new TokenPlan("u", List.of("read"), null, Duration.ofDays(30), true,
            Duration.ofDays(10), Duration.ofMinutes(10));
    private final TokenPlan plain = new TokenPlan("u", List.of("read"), null, Duration.ofDays(30), false, null,
            Duration.ofMinutes(10));

    private static ObservedToken observed(SecretState s, RecordState r, boolean everIssued, String rotate,
                                          String observedRotate) {
        return new ObservedToken(s, r, ISSUED, IssueReason.Rotated, everIssued, rotate, observedRotate);
    }

    private static ObservedToken active() {
        return observed(SecretState.PRESENT, RecordState.ACTIVE, true, null, null);
    }

    @Test
    void firstIssueAndSecretDeletion() {
        var first = LifecyclePlanner.decide(plain, observed(SecretState.ABSENT, RecordState.MISSING, false, null, null),
                ISSUED);
        assertThat(first.step()).isEqualTo(Step.ISSUE);
        assertThat(first.reason()).isEqualTo(IssueReason.Issued);
        var deleted = LifecyclePlanner.decide(plain, observed(SecretState.ABSENT, RecordState.MISSING, true, null, null),
                ISSUED);
        assertThat(deleted.reason()).isEqualTo(IssueReason.SecretDeleted);
    }

    @Test
    void tamperedSecretsGetANewValue() {
        for (var s : List.of(observed(SecretState.EMPTY, RecordState.MISMATCH, true, null, null),
                observed(SecretState.PRESENT, RecordState.MISMATCH, true, null, null),
                observed(SecretState.PRESENT, RecordState.MISSING, true, null, null),
                observed(SecretState.PRESENT, RecordState.RETIRED, true, null, null))) {
            var d = LifecyclePlanner.decide(plain, s, ISSUED);
            assertThat(d.step()).isEqualTo(Step.ISSUE);
            assertThat(d.reason()).isEqualTo(IssueReason.SecretTampered);
            assertThat(d.reason().graceForPrevious()).isFalse();
        }
    }

    @Test
    void aRetiredValueWithARotationRequestIsAManualRotation() {
        // the operator revoked the value on its own (owner deleted, reuse detected): the user's rotation answers it
        var d = LifecyclePlanner.decide(plain, observed(SecretState.PRESENT, RecordState.RETIRED, true, "2", "1"),
                ISSUED);
        assertThat(d.step()).isEqualTo(Step.ISSUE);
        assertThat(d.reason()).isEqualTo(IssueReason.ManualRotation);
    }

    @Test
    void foreignSecretIsAConflict() {
        assertThat(LifecyclePlanner.decide(plain, observed(SecretState.FOREIGN, RecordState.MISSING, false, null, null),
                ISSUED).step()).isEqualTo(Step.CONFLICT);
    }

    @Test
    void interruptedIssueIsFinishedWithItsOriginalReason() {
        var d = LifecyclePlanner.decide(plain, observed(SecretState.PRESENT, RecordState.PENDING, true, null, null),
                ISSUED);
        assertThat(d.step()).isEqualTo(Step.ACTIVATE);
        assertThat(d.reason()).isEqualTo(IssueReason.Rotated);
    }

    @Test
    void manualRotationOnANewAnnotationValueOnly() {
        var d = LifecyclePlanner.decide(plain, observed(SecretState.PRESENT, RecordState.ACTIVE, true, "2", "1"),
                ISSUED);
        assertThat(d.reason()).isEqualTo(IssueReason.ManualRotation);
        assertThat(d.reason().graceForPrevious()).isFalse();
        assertThat(LifecyclePlanner.decide(plain, observed(SecretState.PRESENT, RecordState.ACTIVE, true, "1", "1"),
                ISSUED).step()).isEqualTo(Step.KEEP);
    }

    @Test
    void scheduledRotationAtRenewalTimeExactly() {
        Instant renewal = ISSUED.plus(Duration.ofDays(20));
        assertThat(LifecyclePlanner.decide(rotating, active(), renewal.minusMillis(1)).step()).isEqualTo(Step.KEEP);
        var d = LifecyclePlanner.decide(rotating, active(), renewal);
        assertThat(d.step()).isEqualTo(Step.ISSUE);
        assertThat(d.reason()).isEqualTo(IssueReason.Rotated);
        assertThat(d.reason().graceForPrevious()).isTrue();
        assertThat(LifecyclePlanner.decide(plain, active(), renewal).step()).isEqualTo(Step.KEEP);
    }

    @Test
    void wakesUpAtTheNextRenewalOrExpiryInstant() {
        Instant now = ISSUED.plusSeconds(60);
        assertThat(LifecyclePlanner.nextWakeUp(rotating, ISSUED, now))
                .isEqualTo(Duration.between(now, ISSUED.plus(Duration.ofDays(20))));
        assertThat(LifecyclePlanner.nextWakeUp(plain, ISSUED, now))
                .isEqualTo(Duration.between(now, ISSUED.plus(Duration.ofDays(30))));
        assertThat(LifecyclePlanner.nextWakeUp(plain, ISSUED, ISSUED.plus(Duration.ofDays(31)))).isNull();
        TokenPlan never = new TokenPlan("u", List.of("read"), null, null, false, null, Duration.ZERO);
        assertThat(LifecyclePlanner.nextWakeUp(never, ISSUED, now)).isNull();
    }
}
