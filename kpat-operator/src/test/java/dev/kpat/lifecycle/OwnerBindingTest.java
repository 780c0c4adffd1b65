package dev.kpat.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.lifecycle.OwnerBinding.Verdict;
import org.junit.jupiter.api.Test;

class OwnerBindingTest {
    private static final String SA = "system:serviceaccount:ci:deployer";

    private static OwnerBinding.Decision decide(String current, String bound, boolean everIssued, boolean rotate) {
        return OwnerBinding.decide(SA, current, bound, everIssued, rotate);
    }

    @Test
    void usersAreNotBound() {
        for (String owner : new String[] {"alice", "system:serviceaccount:ci", "system:serviceaccount:ci:a:b",
                "system:serviceaccount::x", "system:serviceaccount:CI:deployer"}) {
            var d = OwnerBinding.decide(owner, "uid-1", "uid-2", true, false);
            assertThat(d.verdict()).as(owner).isEqualTo(Verdict.USER);
            assertThat(d.uid()).isNull();
            assertThat(d.verdict().allowsValues()).isTrue();
        }
    }

    @Test
    void theFirstIssueBindsToTheServiceAccountThatExists() {
        assertThat(decide("uid-1", null, false, false)).isEqualTo(new OwnerBinding.Decision(Verdict.BOUND, "uid-1"));
    }

    @Test
    void aTokenWhoseServiceAccountIsNotThereYetWaits() {
        var d = decide(null, null, false, false);
        assertThat(d.verdict()).isEqualTo(Verdict.WAITING);
        assertThat(d.verdict().allowsValues()).isFalse();
    }

    @Test
    void theSameServiceAccountKeepsItsValues() {
        assertThat(decide("uid-1", "uid-1", true, false)).isEqualTo(new OwnerBinding.Decision(Verdict.BOUND, "uid-1"));
        assertThat(decide("uid-1", "uid-1", true, true).verdict()).isEqualTo(Verdict.BOUND);
    }

    @Test
    void aDeletedServiceAccountStopsItsTokensEvenWhenARotationIsAsked() {
        assertThat(decide(null, "uid-1", true, false).verdict()).isEqualTo(Verdict.OWNER_DELETED);
        assertThat(decide(null, "uid-1", true, true).verdict()).isEqualTo(Verdict.OWNER_DELETED);
        assertThat(Verdict.OWNER_DELETED.allowsValues()).isFalse();
    }

    @Test
    void aServiceAccountCreatedAgainDoesNotInheritUntilARotationRebinds() {
        var replaced = decide("uid-2", "uid-1", true, false);
        assertThat(replaced.verdict()).isEqualTo(Verdict.OWNER_REPLACED);
        assertThat(replaced.uid()).isNull();
        assertThat(replaced.verdict().allowsValues()).isFalse();
        assertThat(decide("uid-2", "uid-1", true, true)).isEqualTo(new OwnerBinding.Decision(Verdict.REBIND, "uid-2"));
    }

    @Test
    void aTokenIssuedBeforeBindingsIsBoundAtFirstSightOrStoppedWhenItsOwnerIsGone() {
        assertThat(decide("uid-1", null, true, false)).isEqualTo(new OwnerBinding.Decision(Verdict.BOUND, "uid-1"));
        assertThat(decide(null, null, true, false).verdict()).isEqualTo(Verdict.OWNER_DELETED);
    }

    @Test
    void serviceAccountNamesAreParsedAsTheApiServerSpellsThem() {
        assertThat(ServiceAccountName.of(SA)).contains(new ServiceAccountName("ci", "deployer"));
        assertThat(ServiceAccountName.of("system:serviceaccount:kube-system:a.b-c").orElseThrow().owner())
                .isEqualTo("system:serviceaccount:kube-system:a.b-c");
        assertThat(ServiceAccountName.of("system:serviceaccounts:ci")).isEmpty();
        assertThat(ServiceAccountName.of(null)).isEmpty();
    }
}
