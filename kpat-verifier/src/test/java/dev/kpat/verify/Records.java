package dev.kpat.verify;

import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import dev.kpat.api.TokenRef;
import dev.kpat.token.TokenFormat;
import dev.kpat.token.TokenHash;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.function.Consumer;

/** Test records and the token values they were made for. */
final class Records {
    static final TokenFormat FORMAT = new TokenFormat("kpat_");

    private Records() {
    }

    /** A token value and an active record for it, as the operator would write them. */
    record Issued(String value, TokenRecord record) {
    }

    static Issued issue(String id, List<String> scopes, Consumer<TokenRecordSpec> edit) {
        String value = FORMAT.generate().reveal();
        TokenRecord r = new TokenRecord();
        r.setMetadata(new ObjectMetaBuilder().withName(id).build());
        TokenRecordSpec spec = new TokenRecordSpec();
        spec.setHash(TokenHash.of(value));
        spec.setTokenRef(new TokenRef("team-a", "ci", "uid-1"));
        spec.setOwner("alice");
        spec.setScopes(scopes);
        spec.setIssuedAt("2026-11-24T12:00:00Z");
        spec.setExpiresAt("2026-12-24T12:00:00Z");
        edit.accept(spec);
        r.setSpec(spec);
        return new Issued(value, r);
    }
}
