package dev.kpat.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.lifecycle.LifecyclePlanner.Step;
import dev.kpat.lifecycle.ObservedToken.RecordState;
import dev.kpat.lifecycle.ObservedToken.SecretState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RenewalJitterTest {
    private static final Instant ISSUED = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration LIFETIME = Duration.ofDays(30);
    private static final Duration RENEW_BEFORE = Duration.ofDays(10);
    private static final double SPREAD = OperatorSettings.DEFAULT_ROTATION_SPREAD;
    private static final Instant PLAIN_RENEWAL = ISSUED.plus(LIFETIME).minus(RENEW_BEFORE);
    private final TokenPlan rotating = new TokenPlan("u", List.of("read"), null, LIFETIME, true, RENEW_BEFORE,
            Duration.ofMinutes(10));

    @Test
    void aTokenIsDueAtItsOwnInstantOfTheFirstFifthOfTheWindowTheSameOnEveryRestart() {
        String uid = "6f1c0a7e-3d41-4a8e-9c1b-2f0e5d7a9b11";
        Instant due = rotating.withRenewalJitterFor(uid, SPREAD).renewalTimeFor(ISSUED);
        assertThat(due).isBetween(PLAIN_RENEWAL, PLAIN_RENEWAL.plus(RENEW_BEFORE.dividedBy(5)));
        assertThat(rotating.withRenewalJitterFor(uid, SPREAD).renewalTimeFor(ISSUED)).isEqualTo(due);
        assertThat(RenewalJitter.fraction(uid)).isEqualTo(RenewalJitter.fraction(new String(uid)));
        // the expiry does not move: only when, inside the window, the next value is issued
        assertThat(rotating.withRenewalJitterFor(uid, SPREAD).expiryFor(ISSUED)).isEqualTo(ISSUED.plus(LIFETIME));
    }

    @Test
    void thePlannerKeepsTheValueUntilThatInstantAndWakesUpForIt() {
        TokenPlan plan = rotating.withRenewalJitterFor("a1b2c3d4-0000-4000-8000-000000000001", SPREAD);
        Instant due = plan.renewalTimeFor(ISSUED);
        assertThat(due).isAfter(PLAIN_RENEWAL);
        ObservedToken active = new ObservedToken(SecretState.PRESENT, RecordState.ACTIVE, ISSUED, IssueReason.Issued,
                true, null, null);
        assertThat(LifecyclePlanner.decide(plan, active, PLAIN_RENEWAL).step()).isEqualTo(Step.KEEP);
        assertThat(LifecyclePlanner.decide(plan, active, due.minusMillis(1)).step()).isEqualTo(Step.KEEP);
        assertThat(LifecyclePlanner.decide(plan, active, due).step()).isEqualTo(Step.ISSUE);
        assertThat(LifecyclePlanner.nextWakeUp(plan, ISSUED, PLAIN_RENEWAL)).isEqualTo(Duration.between(PLAIN_RENEWAL,
                due));
    }

    @Test
    void tenThousandTokensIssuedTogetherFallDueSpreadEvenlyOverTheSpread() {
        Random random = new Random(42);
        int buckets = 10;
        int[] counts = new int[buckets];
        long spread = (long) (RENEW_BEFORE.toMillis() * SPREAD);
        for (int i = 0; i < 10_000; i++) {
            String uid = new UUID(random.nextLong(), random.nextLong()).toString();
            long delay = RenewalJitter.delay(uid, RENEW_BEFORE, SPREAD).toMillis();
            assertThat(delay).isBetween(0L, spread - 1);
            counts[(int) (delay * buckets / spread)]++;
        }
        // each tenth of the spread gets about a tenth of the tokens: none more than 1.2 times its share
        for (int count : counts) {
            assertThat(count).isBetween(800, 1200);
        }
    }

    @Test
    void nothingMovesWithoutRotationOrUid() {
        assertThat(RenewalJitter.delay(null, RENEW_BEFORE, SPREAD)).isZero();
        assertThat(RenewalJitter.delay("uid", null, SPREAD)).isZero();
        TokenPlan plain = new TokenPlan("u", List.of("read"), null, LIFETIME, false, null, Duration.ofMinutes(10));
        assertThat(plain.withRenewalJitterFor("uid", SPREAD).renewalTimeFor(ISSUED)).isNull();
        assertThat(rotating.renewalTimeFor(ISSUED)).isEqualTo(PLAIN_RENEWAL);
    }

    @Test
    void aSpreadOfZeroRotatesEveryTokenAtTheStartOfItsWindow() {
        String uid = "6f1c0a7e-3d41-4a8e-9c1b-2f0e5d7a9b11";
        assertThat(RenewalJitter.delay(uid, RENEW_BEFORE, SPREAD)).isPositive();
        assertThat(rotating.withRenewalJitterFor(uid, 0).renewalTimeFor(ISSUED)).isEqualTo(PLAIN_RENEWAL);
    }

    @Test
    void aSpreadOutsideZeroToHalfIsRefusedNamingTheFlag() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OperatorSettings.defaults().withRotationSpread(0.6))
                .hasMessage("--rotation-spread must be between 0 and 0.5, not 0.6");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OperatorSettings.defaults()
                .withRotationSpread(Double.NaN)).hasMessageContaining("--rotation-spread");
    }
}
