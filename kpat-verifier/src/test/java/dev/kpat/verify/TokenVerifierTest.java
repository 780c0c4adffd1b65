package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.testing.MutableClock;
import dev.kpat.token.Scope;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private final TokenIndex index = new TokenIndex();
    private final TokenVerifier verifier = new TokenVerifier(index, clock);

    private Outcome verify(String token, String... required) {
        return verifier.verify(token, java.util.Arrays.stream(required).map(Scope::parse).toList()).outcome();
    }

    @Test
    void activeTokenCarriesItsRecord() {
        var issued = Records.issue("tok-a", List.of("read", "write:tasks"), s -> { });
        index.upsert(issued.record());
        Verification v = verifier.verify(issued.value(), List.of());
        assertThat(v.outcome()).isEqualTo(Outcome.ACTIVE);
        assertThat(v.token().owner()).isEqualTo("alice");
        assertThat(v.token().tokenId()).isEqualTo("tok-a");
        assertThat(v.token().scopes().toSpaceSeparated()).isEqualTo("read write:tasks");
    }

    @Test
    void malformedWithoutLookupAndUnknownWhenWellFormed() {
        var issued = Records.issue("tok-a", List.of("read"), s -> { });
        index.upsert(issued.record());
        String v = issued.value();
        assertThat(verify(v.substring(0, v.length() - 1) + (v.endsWith("A") ? "B" : "A"))).isEqualTo(Outcome.MALFORMED);
        assertThat(verify("")).isEqualTo(Outcome.MALFORMED);
        assertThat(verify("Bearer " + v)).isEqualTo(Outcome.MALFORMED);
        assertThat(verify(Records.FORMAT.generate().reveal())).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void pendingRecordsAuthenticateNothing() {
        var issued = Records.issue("tok-p", List.of("read"), s -> s.setPending(true));
        index.upsert(issued.record());
        assertThat(verify(issued.value())).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void expiryToTheMillisecond() {
        var issued = Records.issue("tok-e", List.of("read"), s -> s.setExpiresAt("2026-11-24T13:00:00Z"));
        index.upsert(issued.record());
        clock.set(Instant.parse("2026-11-24T12:59:59.999Z"));
        assertThat(verify(issued.value())).isEqualTo(Outcome.ACTIVE);
        clock.set(Instant.parse("2026-11-24T13:00:00Z"));
        assertThat(verify(issued.value())).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void nonExpiringTokensNeverExpire() {
        var issued = Records.issue("tok-n", List.of("read"), s -> s.setExpiresAt(null));
        index.upsert(issued.record());
        clock.set(Instant.parse("2099-01-01T00:00:00Z"));
        assertThat(verify(issued.value())).isEqualTo(Outcome.ACTIVE);
    }

    @Test
    void supersededAfterGraceAndRevokedAtOnce() {
        var old = Records.issue("tok-old", List.of("read"), s -> s.setValidUntil("2026-11-24T12:10:00Z"));
        var revoked = Records.issue("tok-rev", List.of("read"), s -> {
            s.setRevokedAt("2026-11-24T12:00:00Z");
            s.setRevocationReason("Revoked");
        });
        index.upsert(old.record());
        index.upsert(revoked.record());
        assertThat(verify(old.value())).isEqualTo(Outcome.ACTIVE);
        clock.set(Instant.parse("2026-11-24T12:10:00Z"));
        assertThat(verify(old.value())).isEqualTo(Outcome.SUPERSEDED);
        assertThat(verify(revoked.value())).isEqualTo(Outcome.REVOKED);
    }

    @Test
    void revocationWinsOverExpiryAndScope() {
        var issued = Records.issue("tok-x", List.of("read"), s -> {
            s.setRevokedAt("2026-11-24T12:00:00Z");
            s.setExpiresAt("2026-11-24T11:00:00Z");
        });
        index.upsert(issued.record());
        assertThat(verify(issued.value(), "write:tasks")).isEqualTo(Outcome.REVOKED);
    }

    @Test
    void aDeletedOwnersValuesAreRefusedAsOwnerDeleted() {
        var issued = Records.issue("tok-o", List.of("read"), s -> {
            s.setOwner("system:serviceaccount:ci:deployer");
            s.setOwnerUid("uid-sa");
            s.setRevokedAt("2026-11-24T12:00:00Z");
            s.setRevocationReason("OwnerDeleted");
        });
        index.upsert(issued.record());
        Verification v = verifier.verify(issued.value(), List.of());
        assertThat(v.outcome()).isEqualTo(Outcome.OWNER_DELETED);
        assertThat(v.outcome().reason()).isEqualTo("owner_deleted");
        assertThat(v.outcome().authenticated()).isFalse();
        assertThat(v.revokedTokenUsed()).as("a deleted owner is routine, not a leak").isFalse();
    }

    @Test
    void onlyValuesKilledOnPurposeRaiseTheReuseSignal() {
        for (String reason : new String[] {"ManualRotation", "Revoked", "ReuseDetected", "SecretDeleted",
                "SecretTampered", "Deleted"}) {
            var issued = Records.issue("tok-" + reason.toLowerCase(), List.of("read"), s -> {
                s.setRevokedAt("2026-11-24T12:00:00Z");
                s.setRevocationReason(reason);
            });
            index.upsert(issued.record());
            Verification v = verifier.verify(issued.value(), List.of());
            assertThat(v.outcome()).as(reason).isEqualTo(Outcome.REVOKED);
            assertThat(v.token().revocationReason()).isEqualTo(reason);
            assertThat(v.revokedTokenUsed()).as(reason)
                    .isEqualTo(List.of("ManualRotation", "Revoked", "ReuseDetected").contains(reason));
        }
        var superseded = Records.issue("tok-sup", List.of("read"), s -> s.setValidUntil("2026-11-24T11:00:00Z"));
        index.upsert(superseded.record());
        assertThat(verifier.verify(superseded.value(), List.of()).revokedTokenUsed()).isFalse();
    }

    @Test
    void policyBlockedTokensAreRejectedButNotRevoked() {
        var issued = Records.issue("tok-b", List.of("read"), s -> s.setBlockedBy("TokenPolicy a/b: maxLifetime: x"));
        index.upsert(issued.record());
        assertThat(verify(issued.value())).isEqualTo(Outcome.POLICY);
        issued.record().getSpec().setBlockedBy(null);
        index.upsert(issued.record());
        assertThat(verify(issued.value())).isEqualTo(Outcome.ACTIVE);
    }

    @Test
    void anyDocumentedPrefixIsAccepted() {
        String value = new dev.kpat.token.TokenFormat("corp_").generate().reveal();
        var issued = Records.issue("tok-c", List.of("read"), s -> s.setHash(dev.kpat.token.TokenHash.of(value)));
        index.upsert(issued.record());
        assertThat(verify(value)).isEqualTo(Outcome.ACTIVE);
    }

    @Test
    void scopeRules() {
        var issued = Records.issue("tok-s", List.of("read", "write:tasks"), s -> { });
        var wildcard = Records.issue("tok-w", List.of("*"), s -> { });
        index.upsert(issued.record());
        index.upsert(wildcard.record());
        assertThat(verify(issued.value(), "read:users")).isEqualTo(Outcome.ACTIVE);
        assertThat(verify(issued.value(), "write:tasks", "read")).isEqualTo(Outcome.ACTIVE);
        assertThat(verify(issued.value(), "write:users")).isEqualTo(Outcome.INSUFFICIENT_SCOPE);
        assertThat(verify(issued.value(), "write")).isEqualTo(Outcome.INSUFFICIENT_SCOPE);
        assertThat(verify(issued.value(), "admin:tokens")).isEqualTo(Outcome.INSUFFICIENT_SCOPE);
        assertThat(verify(wildcard.value(), "admin:tokens", "write")).isEqualTo(Outcome.ACTIVE);
    }

    @Test
    void updatesAndDeletesApply() {
        var issued = Records.issue("tok-u", List.of("read"), s -> { });
        index.upsert(issued.record());
        issued.record().getSpec().setScopes(List.of("write:tasks"));
        index.upsert(issued.record());
        assertThat(verify(issued.value(), "read")).isEqualTo(Outcome.INSUFFICIENT_SCOPE);
        assertThat(verify(issued.value(), "write:tasks")).isEqualTo(Outcome.ACTIVE);
        assertThat(index.size()).isEqualTo(1);
        index.remove("tok-u");
        assertThat(verify(issued.value())).isEqualTo(Outcome.UNKNOWN);
        assertThat(index.size()).isZero();
    }

    @Test
    void digestPrefixCollisionsAreTellApart() {
        // two records whose digests share the first 8 bytes: both must be found, each by its own digest only
        var a = Records.issue("tok-1", List.of("read"), s -> { });
        var b = Records.issue("tok-2", List.of("write"), s -> { });
        String hashA = a.record().getSpec().getHash();
        String hashB = hashA.substring(0, 7 + 16) + b.record().getSpec().getHash().substring(7 + 16);
        b.record().getSpec().setHash(hashB);
        index.upsert(a.record());
        index.upsert(b.record());
        long[] digestB = TokenIndex.digestLongs(dev.kpat.token.TokenHash.parse(hashB));
        assertThat(index.find(digestB).tokenId()).isEqualTo("tok-2");
        assertThat(verify(a.value())).isEqualTo(Outcome.ACTIVE);
        index.remove("tok-1");
        assertThat(index.find(digestB).tokenId()).isEqualTo("tok-2");
        assertThat(verify(a.value())).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void recordsWithoutAUsableHashAreNotIndexed() {
        var broken = Records.issue("tok-b", List.of("read"), s -> s.setHash("md5:abc"));
        index.upsert(broken.record());
        assertThat(index.size()).isZero();
    }
}
