package dev.kpat.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class SharedStringsTest {
    private static final String PAT = """
            {"apiVersion":"kpat.dev/v1alpha1","kind":"PersonalAccessToken",
             "metadata":{"name":"%s","namespace":"team-a","uid":"%s","finalizers":["personalaccesstokens.kpat.dev/finalizer"],
                         "labels":{"app":"ci"},"creationTimestamp":"2026-11-26T07:50:00Z"},
             "spec":{"owner":"alice","scopes":["read","write:tasks"],"ttl":"30d"},
             "status":{"conditions":[{"type":"Ready","status":"True","reason":"Issued","message":"the token is issued",
                                      "lastTransitionTime":"2026-11-26T07:50:01Z"}],"expiresAt":"2026-12-26T07:50:01Z"}}
            """;
    private static final String RECORD = """
            {"apiVersion":"kpat.dev/v1alpha1","kind":"TokenRecord","metadata":{"name":"%s"},
             "spec":{"hash":"%s","owner":"alice","scopes":["read"],"tokenRef":{"namespace":"team-a","name":"ci","uid":"u"}}}
            """;

    @Test
    void twoTokensReadApartShareTheirRepeatedTexts() {
        PersonalAccessToken a = SharedStrings.share(pat("a", "uid-a"));
        PersonalAccessToken b = SharedStrings.share(pat("b", "uid-b"));
        assertThat(a.getMetadata().getNamespace()).isSameAs(b.getMetadata().getNamespace());
        assertThat(a.getCRDName()).isSameAs(b.getCRDName());
        assertThat(a.getApiVersion()).isSameAs(b.getApiVersion());
        assertThat(SharedStrings.key(a)).isSameAs(SharedStrings.key(pat("a", "uid-a")));
        assertThat(a.getMetadata().getFinalizers().get(0)).isSameAs(b.getMetadata().getFinalizers().get(0));
        assertThat(a.getMetadata().getLabels().get("app")).isSameAs(b.getMetadata().getLabels().get("app"));
        assertThat(a.getSpec().getScopes().get(1)).isSameAs(b.getSpec().getScopes().get(1));
        var ca = a.getStatus().getConditions().get(0);
        var cb = b.getStatus().getConditions().get(0);
        assertThat(ca.getMessage()).isSameAs(cb.getMessage());
        assertThat(ca.getLastTransitionTime()).isSameAs(cb.getLastTransitionTime());
        assertThat(a.getStatus().getExpiresAt()).isSameAs(b.getStatus().getExpiresAt());
    }

    @Test
    void sharingChangesNoValueAndKeepsListsWritable() {
        PersonalAccessToken read = pat("a", "uid-a");
        String before = Serialization.asJson(read);
        PersonalAccessToken shared = SharedStrings.share(read);
        assertThat(Serialization.asJson(shared)).isEqualTo(before);
        shared.getMetadata().getFinalizers().add("another");
        shared.getSpec().getScopes().add("admin");
        assertThat(shared.getSpec().getScopes()).containsExactly("read", "write:tasks", "admin");
    }

    @Test
    void copiesOfOneTokenShareItsNameUidAndHashAndNoEmptyMapIsKeptPerObject() {
        TokenRecord first = SharedStrings.share(record());
        TokenRecord second = SharedStrings.share(record());
        assertThat(second.getSpec().getHash()).isSameAs(first.getSpec().getHash());
        assertThat(second.getMetadata().getName()).isSameAs(first.getMetadata().getName());
        assertThat(second.getSpec().getTokenRef().getUid()).isSameAs(first.getSpec().getTokenRef().getUid());
        PersonalAccessToken a = SharedStrings.share(pat("a", "uid-a"));
        PersonalAccessToken again = SharedStrings.share(pat("a", "uid-a"));
        assertThat(again.getMetadata().getUid()).isSameAs(a.getMetadata().getUid());
        assertThat(a.getMetadata().getAdditionalProperties()).isEmpty();
        assertThat(again.getMetadata().getAdditionalProperties()).isSameAs(a.getMetadata().getAdditionalProperties());
        assertThat(again.getStatus().getConditions().get(0).getAdditionalProperties())
                .isSameAs(a.getMetadata().getAdditionalProperties());
    }

    private static TokenRecord record() {
        return Serialization.unmarshal(RECORD.formatted("tok-1", "c2hhMjU2LWhhc2g"), TokenRecord.class);
    }

    private static PersonalAccessToken pat(String name, String uid) {
        return Serialization.unmarshal(PAT.formatted(name, uid), PersonalAccessToken.class);
    }
}
