package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import dev.kpat.api.TokenRef;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.metrics.TokenMetrics;
import dev.kpat.reconcile.KpatOperator;
import dev.kpat.testing.RealCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the mock server let through and a real API server does not: a field missing from the CRD schema is pruned,
 * and a label value over 63 characters is refused.
 */
@ExtendWith(RealCluster.class)
class WireAndLabelsOnRealClusterTest {
    private static final String NS = "wire-and-labels";

    @Test
    void aPendingRecordStaysPendingThroughTheApiServer(LocalControlPlane plane) {
        KubernetesClient admin = plane.admin();
        TokenRecord record = new TokenRecord();
        record.setMetadata(new ObjectMetaBuilder().withName("tok-wireaaaaaaaaaaaaaaaa").build());
        TokenRecordSpec spec = new TokenRecordSpec();
        spec.setHash("sha256:" + "0".repeat(64));
        spec.setTokenRef(new TokenRef("default", "wire", "uid-wire"));
        spec.setOwner("alice");
        spec.setScopes(List.of("read"));
        spec.setPending(true);
        spec.setIssuedAt("2026-11-24T12:00:00Z");
        record.setSpec(spec);
        try {
            TokenRecord created = admin.resource(record).create();
            assertThat(created.getSpec().pending()).as("pending as created").isTrue();
            assertThat(admin.resources(TokenRecord.class).withName("tok-wireaaaaaaaaaaaaaaaa").get().getSpec()
                    .pending()).as("pending as read back").isTrue();
        } finally {
            admin.resources(TokenRecord.class).withName("tok-wireaaaaaaaaaaaaaaaa").delete();
        }
    }

    @Test
    void aTokenWithA253CharacterNameIsIssuedAndFollowsItsSecret(LocalControlPlane plane) {
        KubernetesClient admin = plane.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .serverSideApply();
        String name = ("long-name." + "x".repeat(40) + ".").repeat(5).substring(0, 252) + "z";
        assertThat(name).hasSize(253);
        Operator operator = KpatOperator.create(admin, OperatorSettings.defaults(), Clock.systemUTC(),
                new TokenMetrics(new SimpleMeterRegistry()));
        operator.start();
        try {
            PersonalAccessToken pat = new PersonalAccessToken();
            pat.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
            PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
            spec.setOwner("kpat-admin");
            spec.setScopes(List.of("read"));
            spec.setTtl("30d");
            pat.setSpec(spec);
            admin.resource(pat).create();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                var p = admin.resources(PersonalAccessToken.class).inNamespace(NS).withName(name).get();
                return p.getStatus() != null && p.getStatus().getPhase() != null
                        && p.getStatus().getPhase().name().equals("Active");
            });
            var secret = admin.secrets().inNamespace(NS).withName(name).get();
            assertThat(secret.getMetadata().getLabels()).containsEntry(Labels.TOKEN_NAME, LabelValues.of(name));
            assertThat(secret.getMetadata().getAnnotations()).containsEntry(Labels.TOKEN_NAME, name);
            String tokenId = admin.resources(PersonalAccessToken.class).inNamespace(NS).withName(name).get()
                    .getStatus().getTokenId();
            var record = admin.resources(TokenRecord.class).withName(tokenId).get();
            assertThat(record.getMetadata().getLabels()).containsEntry(Labels.PAT_NAME, LabelValues.of(name));
            assertThat(record.getMetadata().getAnnotations()).containsEntry(Labels.PAT_NAME, name);
            assertThat(record.getSpec().pending()).isFalse();

            // the Secret maps back to its PAT: deleting it issues a new value into a new Secret
            admin.secrets().inNamespace(NS).withName(name).delete();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                var p = admin.resources(PersonalAccessToken.class).inNamespace(NS).withName(name).get();
                var s = admin.secrets().inNamespace(NS).withName(name).get();
                return s != null && p.getStatus() != null && !tokenId.equals(p.getStatus().getTokenId());
            });
        } finally {
            admin.resources(PersonalAccessToken.class).inNamespace(NS).withName(name).delete();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    admin.resources(PersonalAccessToken.class).inNamespace(NS).withName(name).get() == null);
            operator.stop();
        }
    }
}
