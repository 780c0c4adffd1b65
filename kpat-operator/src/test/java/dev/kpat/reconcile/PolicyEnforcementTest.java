package dev.kpat.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.TokenPolicy;
import dev.kpat.api.TokenPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Policies at issue and use time, on the embedded mock API. */
@ExtendWith(MockHarnesses.class)
class PolicyEnforcementTest extends PolicyEnforcementContract {
    private TokenPolicy policy(String name, Consumer<TokenPolicySpec> edit) {
        TokenPolicy p = new TokenPolicy();
        p.setMetadata(new ObjectMetaBuilder().withNamespace(h.ns).withName(name).build());
        TokenPolicySpec spec = new TokenPolicySpec();
        edit.accept(spec);
        p.setSpec(spec);
        return h.client.resource(p).create();
    }

    /**
     * A policy counts the tokens it blocks, not those whose message happens to name it: an owner name (free text
     * for users) that spells out another policy does not make that policy block the token.
     */
    @Test
    void aPolicyCountsOnlyTheTokensItBlocks() {
        TokenPolicy lenient = policy("lenient", p -> p.setMaxLifetime("90d"));
        TokenPolicy owners = policy("owners", p -> p.setAllowedOwners(List.of("alice")));
        h.create("spoof", s -> s.setOwner("TokenPolicy " + h.ns + "/lenient: mallory"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var st = h.client.resource(owners).get().getStatus();
            return st != null && st.getBlockedTokens() == 1;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var st = h.client.resource(lenient).get().getStatus();
            return st != null && st.getGovernedTokens() == 1;
        });
        assertThat(h.client.resource(lenient).get().getStatus().getBlockedTokens()).isZero();
    }
}
