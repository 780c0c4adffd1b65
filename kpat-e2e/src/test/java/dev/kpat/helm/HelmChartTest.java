package dev.kpat.helm;

import dev.kpat.verify.VerifierMain;
import dev.kpat.operator.OperatorMain;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import com.marcnuri.helm.Helm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart, rendered and linted by real Helm, and checked against what the operator accepts and exports. */
class HelmChartTest {
    private static final Path CHART = Path.of("../helm/kpat");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<JsonNode> render(String... sets) throws Exception {
        var template = new Helm(CHART).template().withName("kpat").withNamespace("kpat-system");
        for (int i = 0; i < sets.length; i += 2) {
            template.set(sets[i], sets[i + 1]);
        }
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(template.call())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.has("kind")) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind").asText())).findFirst().orElseThrow();
    }

    @Test
    void chartLintsClean() {
        var result = new Helm(CHART).lint().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void deploymentArgsAreFlagsTheOperatorAccepts() throws Exception {
        JsonNode container = render("operator.allowNonExpiring", "true").stream()
                .filter(d -> "Deployment".equals(d.get("kind").asText())
                        && d.at("/metadata/name").asText().endsWith("-operator")).findFirst().orElseThrow()
                .at("/spec/template/spec/containers/0");
        List<String> args = new ArrayList<>();
        container.get("args").forEach(a -> args.add(a.asText()));
        assertThat(args).startsWith("run").contains("--allow-non-expiring", "--max-lifetime=366d");
        // picocli parses exactly what the chart passes: a renamed flag fails here, not in a cluster
        var parsed = OperatorMain.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    }

    @Test
    void verifierArgsAreFlagsTheVerifierAcceptsAndItsRbacIsReadMostly() throws Exception {
        List<JsonNode> docs = render("verifier.trustedProxies[0]", "10.0.0.0/8");
        JsonNode deployment = docs.stream().filter(d -> "Deployment".equals(d.get("kind").asText())
                && d.at("/metadata/name").asText().endsWith("-verifier")).findFirst().orElseThrow();
        List<String> args = new ArrayList<>();
        deployment.at("/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
        assertThat(args).startsWith("verifier").contains("--trusted-proxies=10.0.0.0/8",
                "--tls-self-managed-secret=kpat-system/kpat-verifier-tls");
        var parsed = VerifierMain.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("serve");
        JsonNode role = docs.stream().filter(d -> "ClusterRole".equals(d.get("kind").asText())
                && d.at("/metadata/name").asText().endsWith("-verifier")).findFirst().orElseThrow();
        assertThat(role.toString()).doesNotContain("secrets").doesNotContain("delete").contains("tokenrecords/status");
    }

    @Test
    void verifierCallersComeFromValues() throws Exception {
        List<JsonNode> docs = render("verifier.clientCA.configMap", "webhook-client-ca",
                "verifier.introspection.serviceAccounts[0]", "apps:reader");
        JsonNode pod = docs.stream().filter(d -> "Deployment".equals(d.get("kind").asText())
                && d.at("/metadata/name").asText().endsWith("-verifier")).findFirst().orElseThrow()
                .at("/spec/template/spec");
        List<String> args = new ArrayList<>();
        pod.at("/containers/0/args").forEach(a -> args.add(a.asText()));
        assertThat(args).contains("--client-ca-file=/etc/kpat/client-ca/ca.crt", "--client-cert-names=kube-apiserver",
                "--introspection-clients-secret=kpat-system/kpat-introspection-clients",
                "--introspection-service-accounts=apps:reader").doesNotContain("--allow-unauthenticated-webhook-callers");
        VerifierMain.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(pod.at("/volumes").toString()).contains("\"configMap\":{\"name\":\"webhook-client-ca\"}");
        assertThat(pod.at("/containers/0/volumeMounts").toString()).contains("/etc/kpat/client-ca");
        JsonNode tlsRole = docs.stream().filter(d -> "Role".equals(d.get("kind").asText())
                && d.at("/metadata/name").asText().endsWith("-verifier-tls")).findFirst().orElseThrow();
        assertThat(tlsRole.get("rules").toString()).as("the clients Secret by name only")
                .contains("{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],"
                        + "\"resourceNames\":[\"kpat-introspection-clients\"],\"verbs\":[\"get\",\"list\",\"watch\"]}");

        List<String> defaults = new ArrayList<>();
        render().stream().filter(d -> "Deployment".equals(d.get("kind").asText())
                        && d.at("/metadata/name").asText().endsWith("-verifier")).findFirst().orElseThrow()
                .at("/spec/template/spec/containers/0/args").forEach(a -> defaults.add(a.asText()));
        assertThat(String.join(" ", defaults)).as("no client CA by default, and no opening either")
                .doesNotContain("--client-ca-file").doesNotContain("--allow-unauthenticated-webhook-callers");
    }

    @Test
    void bothDeploymentsRunReadOnlyWithAWritableTmp() throws Exception {
        List<JsonNode> deployments = render().stream().filter(d -> "Deployment".equals(d.get("kind").asText()))
                .toList();
        assertThat(deployments).hasSize(2);
        for (JsonNode d : deployments) {
            String name = d.at("/metadata/name").asText();
            JsonNode pod = d.at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
            assertThat(container.at("/volumeMounts").toString()).as(name)
                    .contains("\"name\":\"tmp\"").contains("\"mountPath\":\"/tmp\"");
            assertThat(pod.at("/volumes").toString()).as(name).contains("\"name\":\"tmp\"").contains("emptyDir");
        }
    }

    @Test
    void rbacIsLeastPrivilege() throws Exception {
        JsonNode role = render().stream().filter(d -> "ClusterRole".equals(d.get("kind").asText())
                && d.at("/metadata/name").asText().endsWith("-operator")).findFirst().orElseThrow();
        for (JsonNode rule : role.get("rules")) {
            assertThat(rule.toString()).doesNotContain("\"*\"");
            if (rule.toString().contains("personalaccesstokens\"")) {
                assertThat(rule.get("verbs").toString()).doesNotContain("create").doesNotContain("delete");
            }
        }
        assertThat(role.toString()).contains("personalaccesstokens/status", "tokenrecords", "secrets", "events",
                "tokenpolicies", "clustertokenpolicies/status", "namespaces");
    }

    @Test
    void admissionPoliciesAreTheOnesInCrds() throws Exception {
        List<JsonNode> rendered = render().stream().filter(d -> d.get("kind").asText()
                .startsWith("ValidatingAdmissionPolicy")).toList();
        List<JsonNode> shipped = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class)
                .readValues(Path.of("../crds/admission-policy.yaml").toFile())) {
            it.forEachRemaining(shipped::add);
        }
        assertThat(shipped).extracting(d -> d.get("kind").asText() + "/" + d.at("/metadata/name").asText())
                .containsExactly("ValidatingAdmissionPolicy/kpat-personalaccesstokens",
                        "ValidatingAdmissionPolicyBinding/kpat-personalaccesstokens",
                        "ValidatingAdmissionPolicy/kpat-tokenrecords", "ValidatingAdmissionPolicyBinding/kpat-tokenrecords");
        // release kpat in kpat-system renders exactly the defaults crds/ names
        assertThat(rendered).as("the chart's policies equal crds/admission-policy.yaml")
                .containsExactlyInAnyOrderElementsOf(shipped);
        assertThat(render("admissionPolicy.enabled", "false").stream().map(d -> d.get("kind").asText()))
                .doesNotContain("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    }

    @Test
    void admissionPoliciesNameTheReleasesServiceAccounts() throws Exception {
        String policies = new Helm(CHART).template().withName("tokens").withNamespace("auth").call();
        assertThat(policies).contains("'system:serviceaccount:auth:tokens-operator'",
                "'system:serviceaccount:auth:tokens-verifier'").doesNotContain("kpat-system");
        // and these are the ServiceAccounts the chart runs the operator and the verifier as
        List<String> accounts = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(policies)) {
            it.forEachRemaining(d -> {
                if (d != null && "Deployment".equals(d.path("kind").asText())) {
                    accounts.add(d.at("/metadata/namespace").asText() + ":"
                            + d.at("/spec/template/spec/serviceAccountName").asText());
                }
            });
        }
        assertThat(accounts).containsExactlyInAnyOrder("auth:tokens-operator", "auth:tokens-verifier");
    }

    @Test
    void alertsUseTheMetricsTheOperatorExports() throws Exception {
        assertThat(render().stream().map(d -> d.get("kind").asText())).doesNotContain("PrometheusRule");
        JsonNode rules = kind(render("alerts.enabled", "true"), "PrometheusRule").at("/spec/groups/0/rules");
        List<String> alerts = new ArrayList<>();
        rules.forEach(r -> alerts.add(r.get("alert").asText()));
        assertThat(alerts).containsExactly("KpatTokenExpiringSoon", "KpatTokenNotReady", "KpatRotationOverdue",
                "KpatRevokedTokenUsed");
        assertThat(rules.toString()).contains("kpat_token_expiration_timestamp_seconds",
                "kpat_token_renewal_timestamp_seconds", "kpat_token_ready_status",
                "kpat_verifier_revoked_token_used_total").contains("7 * 86400");
    }
}
