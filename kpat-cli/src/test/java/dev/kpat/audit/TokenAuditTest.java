package dev.kpat.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.Phase;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TokenAuditTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final TokenAudit audit = new TokenAudit(AuditRules.defaults());

    private static PersonalAccessToken pat(String name, List<String> scopes, Consumer<PersonalAccessTokenStatus> st) {
        PersonalAccessToken p = new PersonalAccessToken();
        p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner("alice");
        spec.setScopes(scopes);
        p.setSpec(spec);
        PersonalAccessTokenStatus s = new PersonalAccessTokenStatus();
        s.setPhase(Phase.Active);
        s.setIssuedAt("2026-11-20T00:00:00Z");
        s.setExpiresAt("2027-01-01T00:00:00Z");
        s.setLastUsedAt("2026-11-24T11:00:00Z");
        st.accept(s);
        p.setStatus(s);
        return p;
    }

    private List<String> rules(PersonalAccessToken p) {
        return audit.audit(List.of(p), NOW).stream().map(Finding::rule).toList();
    }

    @Test
    void aHealthyTokenHasNoFindings() {
        assertThat(rules(pat("ok", List.of("read"), s -> { }))).isEmpty();
    }

    @Test
    void eachRuleFires() {
        assertThat(rules(pat("forever", List.of("read"), s -> s.setExpiresAt(null)))).containsExactly("NonExpiring");
        assertThat(rules(pat("wild", List.of("*"), s -> { }))).containsExactly("WildcardScope");
        assertThat(rules(pat("idle", List.of("read"), s -> s.setLastUsedAt("2026-10-01T00:00:00Z"))))
                .containsExactly("Unused");
        assertThat(rules(pat("never", List.of("read"), s -> {
            s.setLastUsedAt(null);
            s.setIssuedAt("2026-09-01T00:00:00Z");
        }))).containsExactly("NeverUsed");
        assertThat(rules(pat("soon", List.of("read"), s -> s.setExpiresAt("2026-11-27T00:00:00Z"))))
                .containsExactly("ExpiringSoon");
        assertThat(rules(pat("expired", List.of("read"), s -> s.setPhase(Phase.Expired)))).containsExactly("Expired");
        assertThat(rules(pat("broken", List.of("read"), s -> s.setConditions(List.of(new ConditionBuilder()
                .withType("Ready").withStatus("False").withReason("SecretConflict").withMessage("taken").build())))))
                .containsExactly("NotReady");
    }

    @Test
    void rotatingOrRevokedOrFreshTokensAreNotFlagged() {
        assertThat(rules(pat("rotating", List.of("read"), s -> {
            s.setExpiresAt("2026-11-27T00:00:00Z");
            s.setRenewalTime("2026-11-26T00:00:00Z");
        }))).isEmpty();
        assertThat(rules(pat("revoked", List.of("*"), s -> s.setPhase(Phase.Revoked)))).isEmpty();
        assertThat(rules(pat("new", List.of("read"), s -> s.setLastUsedAt(null)))).isEmpty();
    }

    @Test
    void findingsNameTokenOwnerAndWhy() {
        Finding f = audit.audit(List.of(pat("idle", List.of("read"), s -> s.setLastUsedAt("2026-10-01T00:00:00Z"))),
                NOW).get(0);
        assertThat(f).isEqualTo(new Finding("team-a", "idle", "alice", "Unused", "last used 54d12h ago"));
    }
}
