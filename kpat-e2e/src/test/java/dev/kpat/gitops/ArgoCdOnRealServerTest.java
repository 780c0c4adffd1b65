package dev.kpat.gitops;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.reconcile.ChartOperator;
import dev.kpat.reconcile.OperatorHarness;
import dev.kpat.reconcile.RealServerOperator;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonDiff;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Argo CD health check and rotate action on what the operator really writes: live tokens read with kubectl, as
 * Argo CD reads them, and the action's change sent back as the JSON patch Argo CD would send. Keeps the testdata of
 * {@link ArgoCdCustomizationsTest} honest.
 */
@ExtendWith({RealCluster.class, ChartOperator.class})
class ArgoCdOnRealServerTest {
    private static final Path HEALTH = ArgoCdCustomizationsTest.PAT.resolve("health.lua");
    private static final Path ROTATE = ArgoCdCustomizationsTest.PAT.resolve("actions/rotate/action.lua");
    private static final Path DISCOVERY = ArgoCdCustomizationsTest.PAT.resolve("actions/discovery.lua");
    private static RealServerOperator operator;
    private static Kubectl kubectl;
    private OperatorHarness h;

    @BeforeAll
    static void setUp(LocalControlPlane plane, RealServerOperator chartOperator) {
        operator = chartOperator;
        kubectl = new Kubectl(plane, plane.adminKubeconfig());
    }

    @BeforeEach
    void start() {
        h = operator.harness("kpat-argocd").start(OperatorSettings.defaults());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> live(String name) throws Exception {
        Kubectl.Result r = kubectl.run("get", "pat", name, "-n", h.ns, "-o", "json");
        assertThat(r.ok()).as(r.toString()).isTrue();
        return Serialization.jsonMapper().readValue(r.out(), Map.class);
    }

    /** Through JSON text, so that numbers compare by value whichever Java type carried them. */
    private static JsonNode json(Object o) throws Exception {
        return Serialization.jsonMapper().readTree(Serialization.jsonMapper().writeValueAsString(o));
    }

    private String health(String name) throws Exception {
        return (String) ((Map<?, ?>) ArgoCdLua.run(HEALTH, live(name))).get("status");
    }

    @Test
    void healthFollowsWhatTheOperatorWrites() throws Exception {
        h.create("good", s -> s.setTtl("30d"));
        h.create("invalid", s -> s.setTtl("400d"));
        h.create("waiting", s -> s.setOwner("system:serviceaccount:" + h.ns + ":robot"));
        h.create("revoked", s -> s.setTtl("30d"));
        h.awaitPat("good", p -> phaseIs(p, "Active"));
        h.awaitPat("invalid", p -> phaseIs(p, "Failed"));
        h.awaitPat("waiting", p -> phaseIs(p, "Pending"));
        h.awaitPat("revoked", p -> phaseIs(p, "Active"));
        h.editSpec("revoked", s -> s.setRevoked(true));
        h.awaitPat("revoked", p -> phaseIs(p, "Revoked"));

        assertThat(health("good")).isEqualTo("Healthy");
        assertThat(health("invalid")).isEqualTo("Degraded");
        assertThat(health("waiting")).isEqualTo("Progressing");
        assertThat(health("revoked")).isEqualTo("Suspended");
        assertThat(((Map<?, ?>) ((Map<?, ?>) ArgoCdLua.run(DISCOVERY, live("revoked"))).get("rotate"))
                .get("disabled")).isEqualTo(true);
    }

    @Test
    void theRotateActionAsArgoCdAppliesItIssuesANewValue() throws Exception {
        h.create("ci", s -> s.setTtl("30d"));
        String before = h.awaitPat("ci", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        Map<String, Object> original = live("ci");
        assertThat(((Map<?, ?>) ((Map<?, ?>) ArgoCdLua.run(DISCOVERY, original)).get("rotate")).get("disabled"))
                .isEqualTo(false);

        Object rotated = ArgoCdLua.run(ROTATE, original);
        JsonNode patch = JsonDiff.asJson(json(original), json(rotated));
        // the token had no annotations: the patch adds them, with the rotate annotation alone
        assertThat(patch).as("the action changes the rotate annotation, nothing else").hasSize(1);
        assertThat(patch.get(0).path("path").asText()).isEqualTo("/metadata/annotations");
        assertThat(patch.get(0).path("value").fieldNames()).toIterable().containsExactly("kpat.dev/rotate");
        Kubectl.Result applied = kubectl.run("patch", "pat", "ci", "-n", h.ns, "--type=json", "-p", patch.toString());
        assertThat(applied.ok()).as(applied.toString()).isTrue();

        PersonalAccessToken after = h.awaitPat("ci", p -> p.getStatus().getRevision() == 2L);
        assertThat(after.getStatus().getTokenId()).isNotEqualTo(before);
        assertThat(h.record(before).getSpec().getRevocationReason()).isEqualTo("ManualRotation");
        assertThat(health("ci")).isEqualTo("Healthy");
    }
}
