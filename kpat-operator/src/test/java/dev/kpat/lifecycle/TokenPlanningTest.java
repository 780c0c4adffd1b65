package dev.kpat.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.Phase;
import dev.kpat.api.RevocationReason;
import dev.kpat.api.RotationSpec;
import dev.kpat.lifecycle.LifecyclePlanner.Step;
import dev.kpat.lifecycle.ObservedToken.SecretState;
import dev.kpat.lifecycle.TokenDecision.Live;
import dev.kpat.lifecycle.TokenDecision.NotReady;
import dev.kpat.lifecycle.TokenDecision.Retirement;
import dev.kpat.lifecycle.TokenDecision.Retirement.How;
import dev.kpat.token.TokenHash;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link LifecyclePlanner#plan}: the whole decision for a token, from facts alone. */
class TokenPlanningTest {
    private static final Instant ISSUED = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOW = ISSUED.plus(Duration.ofDays(1));
    private static final String HASH = TokenHash.of("kpat_current");
    private static final OperatorSettings SETTINGS = OperatorSettings.defaults();

    private static PersonalAccessTokenSpec spec(Consumer<PersonalAccessTokenSpec> edit) {
        PersonalAccessTokenSpec s = new PersonalAccessTokenSpec();
        s.setOwner("alice");
        s.setScopes(List.of("read"));
        s.setTtl("30d");
        edit.accept(s);
        return s;
    }

    private static RecordFacts record(String id, Consumer<Builder> edit) {
        Builder b = new Builder(id);
        edit.accept(b);
        return b.build();
    }

    /** A record of the token, by default the active value issued at {@link #ISSUED}. */
    private static final class Builder {
        final String id;
        String hash = TokenHash.of("kpat_other");
        boolean pending;
        boolean retired;
        Instant revokedAt;
        String revocationReason;
        Instant reuseDetectedAt;
        String blockedBy;
        List<String> scopes = List.of("read");
        IssueReason reason = IssueReason.Issued;

        Builder(String id) {
            this.id = id;
        }

        RecordFacts build() {
            return new RecordFacts(id, hash, pending, ISSUED, ISSUED.plus(Duration.ofDays(30)).toString(), retired,
                    revokedAt, revocationReason, reuseDetectedAt, blockedBy, scopes, "alice", null, reason, null);
        }
    }

    private static final RecordFacts CURRENT = record("tok-current", r -> r.hash = HASH);
    private static final PriorStatus ACTIVE = new PriorStatus(Phase.Active, "tok-current", ISSUED, null, null,
            Reason.Issued, "value kpat_…rent (tok-current) is in Secret ci, expires 2026-12-01T00:00:00Z");

    private static TokenFacts facts(PersonalAccessTokenSpec spec, PriorStatus status, RecordFacts named,
                                    List<RecordFacts> records, boolean confirmed) {
        TokenFacts.Secret secret = named == null ? TokenFacts.Secret.ABSENT
                : new TokenFacts.Secret(SecretState.PRESENT, HASH, "kpat_…rent", named.expiresAt());
        return new TokenFacts(spec, "ci", false, null, status, TokenFacts.Owner.USER, TokenFacts.Policies.NONE,
                secret, named, null, records, false, confirmed, null);
    }

    @Test
    void aSteadyTokenKeepsItsValueAndWakesUpAtExpiry() {
        TokenDecision d = LifecyclePlanner.plan(facts(spec(s -> { }), ACTIVE, CURRENT, List.of(CURRENT), false),
                SETTINGS, NOW);
        assertThat(d).isInstanceOfSatisfying(Live.class, live -> {
            assertThat(live.step()).isEqualTo(Step.KEEP);
            assertThat(live.announce()).isFalse();
            assertThat(live.retirements()).isEmpty();
            assertThat(live.edit()).isNull();
            assertThat(live.readyReason()).isEqualTo(Reason.Issued);
            assertThat(live.wakeUp()).isEqualTo(Duration.ofDays(29));
        });
    }

    @Test
    void anIssueIsConfirmedAgainstTheApiFirstAndNeverIntoATerminatingNamespace() {
        TokenFacts first = facts(spec(s -> { }), PriorStatus.NONE, null, List.of(), false);
        assertThat(LifecyclePlanner.plan(first, SETTINGS, NOW)).isInstanceOf(TokenDecision.Confirm.class);
        assertThat(LifecyclePlanner.plan(first.confirmedWith(null, true), SETTINGS, NOW))
                .isInstanceOf(TokenDecision.Wait.class);
        assertThat(LifecyclePlanner.plan(first.confirmedWith(null, false), SETTINGS, NOW))
                .isInstanceOfSatisfying(Live.class, live -> {
                    assertThat(live.step()).isEqualTo(Step.ISSUE);
                    assertThat(live.issueReason()).isEqualTo(IssueReason.Issued);
                    assertThat(live.issuedAt()).isEqualTo(NOW);
                    assertThat(live.prefix()).isEqualTo("kpat_");
                });
    }

    @Test
    void aRotationAfterALeakRevokesThePreviousValueAndAScheduledOneGivesGrace() {
        PriorStatus rotateAsked = new PriorStatus(Phase.Active, "tok-current", ISSUED, null, "1", Reason.Issued, "m");
        TokenFacts leak = new TokenFacts(spec(s -> { }), "ci", false, "2", rotateAsked, TokenFacts.Owner.USER,
                TokenFacts.Policies.NONE, new TokenFacts.Secret(SecretState.PRESENT, HASH, "h", null), CURRENT, null,
                List.of(CURRENT), false, true, null);
        Live manual = (Live) LifecyclePlanner.plan(leak, SETTINGS, NOW);
        assertThat(manual.issueReason()).isEqualTo(IssueReason.ManualRotation);
        assertThat(manual.readyReason()).isEqualTo(Reason.Rotated);
        assertThat(manual.retirements()).containsExactly(
                new Retirement("tok-current", How.REVOKE, null, Reason.ManualRotation));

        RotationSpec rotation = new RotationSpec();
        rotation.setEnabled(true);
        rotation.setRenewBefore("10d");
        rotation.setGracePeriod("15m");
        Instant renewal = ISSUED.plus(Duration.ofDays(20));
        Live scheduled = (Live) LifecyclePlanner.plan(facts(spec(s -> s.setRotation(rotation)), ACTIVE, CURRENT,
                List.of(CURRENT), true), SETTINGS, renewal);
        assertThat(scheduled.issueReason()).isEqualTo(IssueReason.Rotated);
        assertThat(scheduled.retirements()).containsExactly(
                new Retirement("tok-current", How.SUPERSEDE, renewal.plus(Duration.ofMinutes(15)), null));
    }

    @Test
    void olderRecordsAreRetiredAndPendingLeftoversDeleted() {
        RecordFacts leftover = record("tok-leftover", r -> r.pending = true);
        RecordFacts old = record("tok-old", r -> { });
        RecordFacts gone = record("tok-gone", r -> r.retired = true);
        Live live = (Live) LifecyclePlanner.plan(facts(spec(s -> { }), ACTIVE, CURRENT,
                List.of(CURRENT, leftover, old, gone), false), SETTINGS, NOW);
        assertThat(live.retirements()).containsExactly(new Retirement("tok-leftover", How.DELETE, null, null),
                new Retirement("tok-old", How.REVOKE, null, Reason.Issued));
    }

    @Test
    void theExpiredTransitionIsAnnouncedOnce() {
        Instant expiry = ISSUED.plus(Duration.ofDays(30));
        Live expiring = (Live) LifecyclePlanner.plan(facts(spec(s -> { }), ACTIVE, CURRENT, List.of(CURRENT), false),
                SETTINGS, expiry);
        assertThat(expiring.expired()).isTrue();
        assertThat(expiring.announceExpiry()).isTrue();
        assertThat(expiring.wakeUp()).isNull();
        PriorStatus expired = new PriorStatus(Phase.Expired, "tok-current", ISSUED, null, null, Reason.Expired, "m");
        Live later = (Live) LifecyclePlanner.plan(facts(spec(s -> { }), expired, CURRENT, List.of(CURRENT), false),
                SETTINGS, expiry.plusSeconds(60));
        assertThat(later.announceExpiry()).isFalse();
    }

    @Test
    void aValueStatusDoesNotNameYetIsAnnouncedUnlessThisProcessDidAlready() {
        RecordFacts rotated = record("tok-new", r -> {
            r.hash = HASH;
            r.reason = IssueReason.Rotated;
        });
        TokenFacts owed = facts(spec(s -> { }), ACTIVE, rotated, List.of(rotated), false);
        Live live = (Live) LifecyclePlanner.plan(owed, SETTINGS, NOW);
        assertThat(live.issueReason()).isEqualTo(IssueReason.Rotated);
        TokenFacts done = new TokenFacts(owed.spec(), "ci", false, null, ACTIVE, TokenFacts.Owner.USER,
                TokenFacts.Policies.NONE, owed.secret(), rotated, null, List.of(rotated), false, false, "tok-new");
        assertThat(((Live) LifecyclePlanner.plan(done, SETTINGS, NOW)).announce()).isFalse();
    }

    @Test
    void editsApplyInPlaceAndABlockIsLiftedOnlyOnPurpose() {
        RecordFacts blocked = record("tok-current", r -> {
            r.hash = HASH;
            r.blockedBy = "TokenPolicy ns/p: deniedScopes: ...";
        });
        Live live = (Live) LifecyclePlanner.plan(facts(spec(s -> s.setScopes(List.of("read", "write"))), ACTIVE,
                blocked, List.of(blocked), false), SETTINGS, NOW);
        assertThat(live.edit().scopes()).containsExactly("read", "write");
        assertThat(live.unblock()).isTrue();
    }

    @Test
    void aDeletedOwnerRevokesOnlyOnceTheApiConfirmsIt() {
        TokenFacts cached = new TokenFacts(spec(s -> s.setOwner("system:serviceaccount:ci:deployer")), "ci", false,
                null, new PriorStatus(Phase.Active, "tok-current", ISSUED, "uid-1", null, Reason.Issued, "m"),
                new TokenFacts.Owner(null, "uid-1"), TokenFacts.Policies.NONE,
                new TokenFacts.Secret(SecretState.PRESENT, HASH, "h", null), CURRENT, null, List.of(CURRENT), false,
                false, null);
        assertThat(LifecyclePlanner.plan(cached, SETTINGS, NOW)).isInstanceOf(TokenDecision.Confirm.class);
        assertThat(LifecyclePlanner.plan(cached.confirmedWith("uid-1", false), SETTINGS, NOW))
                .isInstanceOf(Live.class);
        NotReady deleted = (NotReady) LifecyclePlanner.plan(cached.confirmedWith(null, false), SETTINGS, NOW);
        assertThat(deleted.reason()).isEqualTo(Reason.OwnerDeleted);
        assertThat(deleted.revokeLive()).isEqualTo(Reason.OwnerDeleted);
        assertThat(deleted.phase()).isEqualTo(Phase.Failed);
        assertThat(deleted.announce()).isTrue();
    }

    @Test
    void reuseOfALeakedValueRevokesTheCurrentOneWithRevokeOnReuse() {
        RecordFacts leaked = record("tok-leaked", r -> {
            r.retired = true;
            r.revokedAt = ISSUED;
            r.revocationReason = RevocationReason.MANUAL_ROTATION;
            r.reuseDetectedAt = NOW.minusSeconds(5);
        });
        RotationSpec rotation = new RotationSpec();
        rotation.setRevokeOnReuse(true);
        NotReady hold = (NotReady) LifecyclePlanner.plan(facts(spec(s -> s.setRotation(rotation)), ACTIVE, CURRENT,
                List.of(CURRENT, leaked), false), SETTINGS, NOW);
        assertThat(hold.reason()).isEqualTo(Reason.RevokedOnReuse);
        assertThat(hold.revokeLive()).isEqualTo(Reason.ReuseDetected);
    }

    @Test
    void aRevokedTokenIsAnnouncedOnce() {
        TokenFacts revoked = new TokenFacts(spec(s -> s.setRevoked(true)), "ci", true, null, ACTIVE,
                TokenFacts.Owner.USER, TokenFacts.Policies.NONE, TokenFacts.Secret.ABSENT, null, null, List.of(),
                false, false, null);
        assertThat(LifecyclePlanner.plan(revoked, SETTINGS, NOW)).isEqualTo(new TokenDecision.Revoke(true));
    }

    @Test
    void aRefusalRaisesAnEventOnlyWhenItsMessageChanges() {
        NotReady first = (NotReady) LifecyclePlanner.plan(facts(spec(s -> s.setScopes(List.of())), PriorStatus.NONE,
                null, List.of(), false), SETTINGS, NOW);
        assertThat(first.reason()).isEqualTo(Reason.InvalidSpec);
        assertThat(first.announce()).isTrue();
        PriorStatus said = new PriorStatus(Phase.Failed, null, null, null, null, Reason.InvalidSpec, first.message());
        NotReady again = (NotReady) LifecyclePlanner.plan(facts(spec(s -> s.setScopes(List.of())), said, null,
                List.of(), false), SETTINGS, NOW);
        assertThat(again.announce()).isFalse();
    }
}
