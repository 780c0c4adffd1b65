package dev.kpat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code spec.pending} is a real field on the wire: a record written while pending must read back as pending. */
class TokenRecordSerializationTest {
    private static TokenRecord record(Boolean pending) {
        TokenRecord record = new TokenRecord();
        record.setMetadata(new ObjectMetaBuilder().withName("tok-aaaaaaaaaaaaaaaaaaaa").build());
        TokenRecordSpec spec = new TokenRecordSpec();
        spec.setHash("sha256:" + "0".repeat(64));
        spec.setTokenRef(new TokenRef("default", "alice", "uid-1"));
        spec.setOwner("alice");
        spec.setScopes(List.of("read"));
        spec.setPending(pending);
        record.setSpec(spec);
        return record;
    }

    @Test
    void pendingIsSerializedAndReadBack() throws Exception {
        String json = Serialization.asJson(record(true));
        JsonNode tree = Serialization.jsonMapper().readTree(json);
        assertThat(tree.path("spec").path("pending").isBoolean()).as(json).isTrue();
        assertThat(tree.path("spec").path("pending").booleanValue()).isTrue();

        TokenRecord back = Serialization.unmarshal(json, TokenRecord.class);
        assertThat(back.getSpec().getPending()).isTrue();
        assertThat(back.getSpec().pending()).isTrue();
    }

    @Test
    void anActiveRecordCarriesNoPendingField() throws Exception {
        String json = Serialization.asJson(record(null));
        assertThat(Serialization.jsonMapper().readTree(json).path("spec").has("pending")).as(json).isFalse();
        assertThat(Serialization.unmarshal(json, TokenRecord.class).getSpec().pending()).isFalse();
    }

    @Test
    void theGeneratedCrdDeclaresPending() throws Exception {
        var crd = Serialization.unmarshal(java.nio.file.Files.readString(
                java.nio.file.Path.of("target/classes/META-INF/kpat/crds/tokenrecords.kpat.dev-v1.yml")),
                io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
        var spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertThat(spec.getProperties()).containsKey("pending");
        assertThat(spec.getProperties().get("pending").getType()).isEqualTo("boolean");
    }
}
