package dev.kpat.helm;

import static dev.kpat.helm.Chart.all;
import static dev.kpat.helm.Chart.args;
import static dev.kpat.helm.Chart.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import dev.kpat.operator.OperatorMain;
import dev.kpat.verify.VerifierMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart, rendered and linted by real Helm, and checked against what the operator accepts and exports. */
class HelmChartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> render(String... sets) {
        return Chart.kpat().set(sets).objects();
    }

    private static List<JsonNode> allFeatures() {
        return Chart.kpat().allFeatures().objects();
    }

    @Test
    void chartLintsCleanAndStrict() {
        var result = new Helm(Chart.DIR).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void everyObjectCarriesTheChartLabels() {
        for (List<JsonNode> docs : List.of(render(), allFeatures())) {
            assertThat(docs).hasSizeGreaterThan(20);
            for (JsonNode d : docs) {
                String what = d.get("kind").asText() + "/" + d.at("/metadata/name").asText();
                JsonNode labels = d.at("/metadata/labels");
                assertThat(labels.path("app.kubernetes.io/name").asText()).as(what).isEqualTo("kpat");
                assertThat(labels.path("app.kubernetes.io/instance").asText()).as(what).isEqualTo("kpat");
                assertThat(labels.path("helm.sh/chart").asText()).as(what).isEqualTo("kpat-0.1.0");
            }
        }
        assertThat(allFeatures()).allSatisfy(d -> assertThat(d.at("/metadata/labels/team").asText())
                .as("global.commonLabels").isEqualTo("platform"));
    }

    @Test
    void theSchemaRefusesBadValues() {
        // a typo, a wrong type, a value outside an enum, a malformed duration: Helm stops before rendering anything
        assertThatThrownBy(() -> render("operator.replicass", "2")).hasMessageContaining("replicass");
        assertThatThrownBy(() -> render("verifier.port", "https")).hasMessageContaining("verifier").hasMessageContaining("port");
        assertThatThrownBy(() -> render("logging.format", "xml")).hasMessageContaining("logging");
        assertThatThrownBy(() -> render("operator.leaderElection.leaseDuration", "15 seconds"))
                .hasMessageContaining("leaseDuration");
        assertThatThrownBy(() -> render("watchNamespaces[0]", "Not_A_Namespace")).hasMessageContaining("watchNamespaces");
        // and the template's own checks: two replicas without leader election would issue tokens twice
        assertThatThrownBy(() -> render("operator.replicas", "2", "operator.leaderElection.enabled", "false"))
                .hasMessageContaining("leaderElection");
        assertThat(render("operator.replicas", "2")).isNotEmpty();
    }

    @Test
    void operatorArgsAreFlagsTheOperatorAccepts() {
        for (List<JsonNode> docs : List.of(render("operator.allowNonExpiring", "true"), allFeatures())) {
            List<String> args = args(one(docs, "Deployment", "-operator"));
            assertThat(args).startsWith("run").contains("--allow-non-expiring", "--max-lifetime=366d");
            // picocli parses exactly what the chart passes: a renamed flag fails here, not in a cluster
            var parsed = OperatorMain.commandLine().parseArgs(args.toArray(String[]::new));
            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
        }
        assertThat(args(one(allFeatures(), "Deployment", "-operator"))).contains("--log-format=json",
                "--log-level=debug", "--watch-namespaces=kpat-ci-team-a,kpat-ci-team-b",
                "--leader-election-lease-duration=20s", "--leader-election-renew-deadline=15s",
                "--leader-election-retry-period=3s", "--leader-election-namespace=kpat-system");
        List<String> single = args(one(render("operator.leaderElection.enabled", "false"), "Deployment", "-operator"));
        assertThat(single).contains("--no-leader-election").noneMatch(a -> a.startsWith("--leader-election-"));
        OperatorMain.commandLine().parseArgs(single.toArray(String[]::new));
        // the client-side request rate: off unless set, then passed as client-go names it
        assertThat(args(one(render(), "Deployment", "-operator"))).noneMatch(a -> a.startsWith("--kube-api-"));
        List<String> limited = args(one(render("operator.kubeApiQps", "50", "operator.kubeApiBurst", "80"),
                "Deployment", "-operator"));
        assertThat(limited).contains("--kube-api-qps=50", "--kube-api-burst=80");
        OperatorMain.commandLine().parseArgs(limited.toArray(String[]::new));
    }

    @Test
    void verifierArgsAreFlagsTheVerifierAcceptsAndItsRbacIsReadMostly() {
        List<JsonNode> docs = render("verifier.trustedProxies[0]", "10.0.0.0/8");
        List<String> args = args(one(docs, "Deployment", "-verifier"));
        assertThat(args).startsWith("serve").contains("--trusted-proxies=10.0.0.0/8", "--port=8443",
                "--http-port=8080", "--metrics-port=9090", "--tls-self-managed-secret=kpat-system/kpat-verifier-tls",
                "--tls-dns-names=kpat-verifier.kpat-system.svc,kpat-verifier.kpat-system.svc.cluster.local");
        var parsed = VerifierMain.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("serve");
        JsonNode role = one(docs, "ClusterRole", "-verifier");
        assertThat(role.toString()).doesNotContain("secrets").doesNotContain("delete").contains("tokenrecords/status");

        List<String> all = args(one(allFeatures(), "Deployment", "-verifier"));
        assertThat(all).contains("--tls-dns-names=kpat-all-verifier.kpat-system.svc,"
                + "kpat-all-verifier.kpat-system.svc.cluster.local,10.96.0.50", "--log-format=json");
        VerifierMain.commandLine().parseArgs(all.toArray(String[]::new));
        assertThat(args(one(render("verifier.httpPort", "0"), "Deployment", "-verifier")))
                .noneMatch(a -> a.startsWith("--http-port"));
    }

    @Test
    void verifierCallersComeFromValues() {
        List<JsonNode> docs = render("verifier.clientCA.configMap", "webhook-client-ca",
                "verifier.introspection.serviceAccounts[0]", "apps:reader");
        JsonNode pod = one(docs, "Deployment", "-verifier").at("/spec/template/spec");
        List<String> args = args(one(docs, "Deployment", "-verifier"));
        assertThat(args).contains("--client-ca-file=/etc/kpat/client-ca/ca.crt", "--client-cert-names=kube-apiserver",
                "--introspection-clients-secret=kpat-system/kpat-introspection-clients",
                "--introspection-service-accounts=apps:reader").doesNotContain("--allow-unauthenticated-webhook-callers");
        VerifierMain.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(pod.at("/volumes").toString()).contains("\"configMap\":{\"name\":\"webhook-client-ca\"}");
        assertThat(pod.at("/containers/0/volumeMounts").toString()).contains("/etc/kpat/client-ca");
        JsonNode tlsRole = one(docs, "Role", "-verifier-tls");
        assertThat(tlsRole.get("rules").toString()).as("the clients Secret by name only")
                .contains("{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],"
                        + "\"resourceNames\":[\"kpat-introspection-clients\"],\"verbs\":[\"get\",\"list\",\"watch\"]}");

        String defaults = String.join(" ", args(one(render(), "Deployment", "-verifier")));
        assertThat(defaults).as("no client CA by default, and no opening either")
                .doesNotContain("--client-ca-file").doesNotContain("--allow-unauthenticated-webhook-callers");
    }

    @Test
    void everyPodRunsReadOnlyWithATmpEmptyDirAndItsProbesOnTheMetricsPort() {
        List<JsonNode> withAll = allFeatures();
        for (List<JsonNode> docs : List.of(render(), withAll)) {
            boolean extraFlags = docs == withAll;
            List<JsonNode> deployments = all(docs, "Deployment");
            assertThat(deployments).hasSize(2);
            for (JsonNode d : deployments) {
                String name = d.at("/metadata/name").asText();
                JsonNode pod = d.at("/spec/template/spec");
                JsonNode container = pod.at("/containers/0");
                assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
                assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).as(name).isFalse();
                assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(name).isTrue();
                assertThat(container.at("/volumeMounts").toString()).as(name)
                        .contains("\"name\":\"tmp\"").contains("\"mountPath\":\"/tmp\"");
                assertThat(pod.at("/volumes").toString()).as(name).contains("\"name\":\"tmp\"").contains("emptyDir");
                assertThat(container.at("/livenessProbe/httpGet").toString()).as(name)
                        .contains("/healthz").contains("\"port\":\"metrics\"");
                assertThat(container.at("/readinessProbe/httpGet").toString()).as(name)
                        .contains("/readyz").contains("\"port\":\"metrics\"");
                // the images carry the JVM flags; JAVA_TOOL_OPTIONS only when extra ones are asked for
                String env = container.at("/env").toString();
                if (extraFlags) {
                    assertThat(env).as(name)
                            .contains("{\"name\":\"JAVA_TOOL_OPTIONS\",\"value\":\"-XX:MaxRAMPercentage=60\"}");
                } else {
                    assertThat(env).as(name).doesNotContain("JAVA_TOOL_OPTIONS");
                }
                assertThat(container.at("/resources/limits/memory").asText()).as(name).isEqualTo("512Mi");
                // Events name the pod that reported them (reportingInstance), from the downward API
                assertThat(env).as(name).contains("{\"name\":\"POD_NAME\",\"valueFrom\":{\"fieldRef\":"
                        + "{\"fieldPath\":\"metadata.name\"}}}");
            }
        }
    }

    @Test
    void schedulingImagesAndPullSecretsComeFromValues() {
        List<JsonNode> docs = allFeatures();
        JsonNode operator = one(docs, "Deployment", "-operator").at("/spec/template/spec");
        JsonNode verifier = one(docs, "Deployment", "-verifier").at("/spec/template/spec");
        for (JsonNode pod : List.of(operator, verifier)) {
            assertThat(pod.at("/imagePullSecrets/0/name").asText()).isEqualTo("regcred");
            assertThat(pod.at("/priorityClassName").asText()).isEqualTo("system-cluster-critical");
            assertThat(pod.at("/nodeSelector/kubernetes.io~1os").asText()).isEqualTo("linux");
            assertThat(pod.at("/tolerations/0/key").asText()).isEqualTo("dedicated");
        }
        assertThat(operator.at("/affinity/podAntiAffinity").isMissingNode()).isFalse();
        assertThat(operator.at("/containers/0/image").asText()).isEqualTo("registry.example.com/kpat/kpat-operator"
                + "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assertThat(verifier.at("/containers/0/image").asText())
                .isEqualTo("registry.example.com/kpat/kpat-verifier:0.1.0-verifier");
        assertThat(one(render(), "Deployment", "-operator").at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("ghcr.io/kpat-dev/kpat-operator:0.1.0");
        assertThat(one(render("imageTag", "1.2.3"), "Deployment", "-verifier")
                .at("/spec/template/spec/containers/0/image").asText()).isEqualTo("ghcr.io/kpat-dev/kpat-verifier:1.2.3");
        // topology spread: the default spreads verifiers by zone and node, with the component's selector filled in
        JsonNode spread = one(render(), "Deployment", "-verifier").at("/spec/template/spec/topologySpreadConstraints");
        assertThat(spread).hasSize(2);
        assertThat(spread.get(0).at("/labelSelector/matchLabels/app.kubernetes.io~1component").asText())
                .isEqualTo("verifier");
        assertThat(operator.at("/topologySpreadConstraints/0/labelSelector/matchLabels/app.kubernetes.io~1component")
                .asText()).isEqualTo("operator");
    }

    @Test
    void rbacIsLeastPrivilege() {
        JsonNode role = one(render(), "ClusterRole", "kpat-operator");
        for (JsonNode rule : role.get("rules")) {
            assertThat(rule.toString()).doesNotContain("\"*\"");
            if (rule.toString().contains("personalaccesstokens\"")) {
                assertThat(rule.get("verbs").toString()).doesNotContain("create").doesNotContain("delete");
            }
        }
        assertThat(role.toString()).contains("personalaccesstokens/status", "tokenrecords", "secrets", "events",
                "tokenpolicies", "clustertokenpolicies/status", "namespaces")
                .as("restarting workloads is opt-in").doesNotContain("deployments");
        assertThat(one(render("rbac.workloadRestart", "true"), "ClusterRole", "kpat-operator").toString())
                .contains("{\"apiGroups\":[\"apps\"],\"resources\":[\"deployments\",\"statefulsets\",\"daemonsets\"],"
                        + "\"verbs\":[\"list\",\"patch\"]}");
    }

    @Test
    void watchNamespacesGrantsNamespacedRightsOnlyThere() {
        List<JsonNode> docs = allFeatures();
        JsonNode clusterRole = one(docs, "ClusterRole", "kpat-all-operator");
        assertThat(clusterRole.toString()).contains("tokenrecords", "clustertokenpolicies", "namespaces")
                .doesNotContain("secrets").doesNotContain("personalaccesstokens").doesNotContain("serviceaccounts")
                .doesNotContain("events");
        assertThat(one(docs, "ClusterRole", "kpat-all-verifier").toString()).doesNotContain("events");
        Map<String, List<String>> roles = new TreeMap<>();
        for (JsonNode r : all(docs, "Role")) {
            roles.computeIfAbsent(r.at("/metadata/namespace").asText(), k -> new ArrayList<>())
                    .add(r.at("/metadata/name").asText());
        }
        assertThat(roles).containsOnlyKeys("kpat-ci-team-a", "kpat-ci-team-b", "kpat-system");
        for (String ns : List.of("kpat-ci-team-a", "kpat-ci-team-b")) {
            assertThat(roles.get(ns)).containsExactlyInAnyOrder("kpat-all-operator", "kpat-all-verifier-events");
            JsonNode role = all(docs, "Role").stream().filter(r -> r.at("/metadata/namespace").asText().equals(ns)
                    && r.at("/metadata/name").asText().equals("kpat-all-operator")).findFirst().orElseThrow();
            assertThat(role.toString()).contains("secrets", "personalaccesstokens/status", "serviceaccounts", "events",
                    "deployments");
            assertThat(all(docs, "RoleBinding").stream().filter(b -> b.at("/metadata/namespace").asText().equals(ns))
                    .map(b -> b.at("/subjects/0/namespace").asText() + ":" + b.at("/subjects/0/name").asText()))
                    .contains("kpat-system:kpat-all-operator", "kpat-system:kpat-all-verifier");
        }
    }

    @Test
    void userRolesAggregateIntoViewAndEdit() {
        List<JsonNode> docs = render();
        JsonNode view = one(docs, "ClusterRole", "kpat-view");
        JsonNode edit = one(docs, "ClusterRole", "kpat-edit");
        assertThat(view.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-view").asText()).isEqualTo("true");
        assertThat(edit.at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-edit").asText()).isEqualTo("true");
        assertThat(view.at("/rules").toString()).contains("personalaccesstokens").doesNotContain("create")
                .doesNotContain("secrets").doesNotContain("tokenrecords");
        assertThat(edit.at("/rules").toString()).contains("personalaccesstokens", "create", "delete")
                .as("policies and records stay with cluster admins").doesNotContain("tokenpolicies")
                .doesNotContain("tokenrecords");
        assertThat(render("rbac.aggregateToUserRoles", "false")).noneMatch(d -> d.at("/metadata/name").asText()
                .matches("kpat-(view|edit)"));
    }

    @Test
    void crdsAreTheGeneratedOnesAsTemplatesKeptOnUninstall() throws IOException {
        List<JsonNode> committed = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("../crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                committed.add(Chart.YAML.readTree(f.toFile()));
                assertThat(Files.readString(Chart.DIR.resolve("files/crds").resolve(f.getFileName())))
                        .as("helm/kpat/files/crds/%s differs from crds/: copy it", f.getFileName())
                        .isEqualTo(Files.readString(f));
            }
        }
        assertThat(committed).hasSize(4);
        List<JsonNode> rendered = all(render(), "CustomResourceDefinition");
        for (JsonNode crd : rendered) {
            assertThat(crd.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
            assertThat(crd.at("/metadata/labels/app.kubernetes.io~1name").asText()).isEqualTo("kpat");
        }
        assertThat(rendered.stream().map(HelmChartTest::withoutLabelsAndAnnotations).toList())
                .as("the chart's CRDs are crds/ (the generated ones), only labelled")
                .containsExactlyInAnyOrderElementsOf(committed);
        assertThat(all(render("crds.keep", "false"), "CustomResourceDefinition"))
                .hasSize(4).allSatisfy(c -> assertThat(c.at("/metadata/annotations").isMissingNode()).isTrue());
        assertThat(all(render("crds.enabled", "false"), "CustomResourceDefinition")).isEmpty();
    }

    private static JsonNode withoutLabelsAndAnnotations(JsonNode doc) {
        ObjectNode copy = doc.deepCopy();
        ((ObjectNode) copy.get("metadata")).remove(List.of("labels", "annotations"));
        return copy;
    }

    @Test
    void admissionPoliciesAreTheOnesInCrds() throws IOException {
        List<JsonNode> rendered = render().stream().filter(d -> d.get("kind").asText()
                .startsWith("ValidatingAdmissionPolicy")).map(HelmChartTest::withoutLabelsAndAnnotations).toList();
        List<JsonNode> shipped = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Chart.YAML.readerFor(JsonNode.class)
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
    void admissionPoliciesNameTheReleasesServiceAccounts() {
        for (String[] release : new String[][] {{"tokens", "auth", "", "tokens"}, {"x", "auth", "tokens", "tokens"}}) {
            String yaml = Chart.release(release[0], release[1]).set("fullnameOverride", release[2]).yaml();
            assertThat(yaml).contains("'system:serviceaccount:auth:tokens-operator'",
                    "'system:serviceaccount:auth:tokens-verifier'").doesNotContain("kpat-system");
            // and these are the ServiceAccounts the chart runs the operator and the verifier as
            assertThat(all(Chart.parse(yaml), "Deployment")).extracting(d -> d.at("/metadata/namespace").asText()
                    + ":" + d.at("/spec/template/spec/serviceAccountName").asText())
                    .containsExactlyInAnyOrder("auth:tokens-operator", "auth:tokens-verifier");
        }
    }

    @Test
    void verifierStaysAvailable() {
        List<JsonNode> docs = render();
        JsonNode pdb = one(docs, "PodDisruptionBudget", "-verifier");
        assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(pdb.at("/spec/selector/matchLabels/app.kubernetes.io~1component").asText()).isEqualTo("verifier");
        assertThat(all(docs, "HorizontalPodAutoscaler")).isEmpty();
        assertThat(one(docs, "Deployment", "-verifier").at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode service = one(docs, "Service", "kpat-verifier");
        assertThat(service.at("/spec/ports").toString()).contains("\"name\":\"https\",\"port\":8443")
                .contains("\"name\":\"http\",\"port\":8080").doesNotContain("9090");

        List<JsonNode> all = allFeatures();
        JsonNode hpa = one(all, "HorizontalPodAutoscaler", "-verifier");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("kpat-all-verifier");
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(5);
        assertThat(hpa.at("/spec/metrics").toString()).contains("\"averageUtilization\":60")
                .contains("\"averageUtilization\":80");
        assertThat(one(all, "Deployment", "-verifier").at("/spec/replicas").isMissingNode())
                .as("the autoscaler owns the replica count").isTrue();
        assertThat(one(all, "PodDisruptionBudget", "-verifier").at("/spec").toString())
                .contains("\"maxUnavailable\":1").doesNotContain("minAvailable");
    }

    @Test
    void networkPolicyLetsOnlyTheApiServerIngressAndPrometheusIn() {
        JsonNode policy = one(allFeatures(), "NetworkPolicy", "-verifier");
        assertThat(policy.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\"]");
        JsonNode rules = policy.at("/spec/ingress");
        Map<String, String> fromByPort = new TreeMap<>();
        for (JsonNode rule : rules) {
            fromByPort.merge(rule.at("/ports/0/port").asText(), rule.get("from").toString(), String::concat);
        }
        assertThat(fromByPort).containsOnlyKeys("https", "http", "metrics");
        assertThat(fromByPort.get("https")).contains("{\"ipBlock\":{\"cidr\":\"172.18.0.0/24\"}}")
                .contains("[\"ingress-nginx\",\"traefik\"]").contains("kpat.dev/introspection");
        assertThat(fromByPort.get("http")).contains("[\"ingress-nginx\",\"traefik\"]").doesNotContain("ipBlock");
        assertThat(fromByPort.get("metrics")).contains("[\"monitoring\"]").doesNotContain("ingress-nginx");
        assertThat(one(allFeatures(), "NetworkPolicy", "-operator").at("/spec/ingress").toString())
                .contains("\"port\":\"metrics\"").contains("[\"monitoring\"]").doesNotContain("https");
        // by default the API server is not let in (no client CA, no webhooks either)
        JsonNode byDefault = one(render(), "NetworkPolicy", "-verifier");
        assertThat(byDefault.toString()).doesNotContain("ipBlock").contains("ingress-nginx");
        assertThat(render("networkPolicy.enabled", "false")).noneMatch(d -> d.get("kind").asText()
                .equals("NetworkPolicy"));
    }

    @Test
    void monitorsAndAlertsCarryTheirLabels() {
        assertThat(render().stream().map(d -> d.get("kind").asText()))
                .doesNotContain("PrometheusRule", "ServiceMonitor", "PodMonitor", "ConfigMap");
        List<JsonNode> docs = allFeatures();
        for (String kind : List.of("ServiceMonitor", "PodMonitor")) {
            List<JsonNode> monitors = all(docs, kind);
            assertThat(monitors).extracting(m -> m.at("/metadata/name").asText())
                    .containsExactlyInAnyOrder("kpat-all-operator", "kpat-all-verifier");
            assertThat(monitors).allSatisfy(m -> {
                assertThat(m.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
                assertThat(m.toString()).contains("\"port\":\"metrics\"").contains("\"honorLabels\":true");
            });
        }
        assertThat(all(docs, "Service").stream().map(s -> s.at("/metadata/name").asText()))
                .contains("kpat-all-operator-metrics", "kpat-all-verifier-metrics");
        JsonNode rule = one(docs, "PrometheusRule", "-alerts");
        assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(alerts(rule).keySet()).containsExactlyInAnyOrder("KpatTokenExpiringSoon", "KpatTokenNotReady",
                "KpatRotationOverdue", "KpatOperatorAbsent", "KpatOperatorReconcileBacklog", "KpatVerifierAbsent",
                "KpatVerifierNotReady", "KpatVerifierIndexEmpty", "KpatVerifierRejectionSpike",
                "KpatVerifierFailuresOverLimit", "KpatRevokedTokenUsed");
        assertThat(alerts(rule).get("KpatTokenExpiringSoon").get("expr").asText()).contains("7 * 86400");
        assertThat(alerts(rule).get("KpatVerifierRejectionSpike").get("expr").asText()).contains("> 1");
        assertThat(alerts(one(render("alerts.enabled", "true", "verifier.enabled", "false"), "PrometheusRule",
                "-alerts")).keySet()).noneMatch(a -> a.contains("Verifier"));
    }

    /** Every alert links its runbook: a README section named after it, found by the anchor GitHub gives it. */
    @Test
    void everyAlertHasARunbookSectionInTheReadme() throws IOException {
        Set<String> anchors = new java.util.HashSet<>();
        for (String line : Files.readAllLines(Path.of("../README.md"))) {
            Matcher heading = Pattern.compile("^#{2,4} (.+)$").matcher(line);
            if (heading.matches()) {
                anchors.add(heading.group(1).trim().toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        alerts(one(allFeatures(), "PrometheusRule", "-alerts")).forEach((name, rule) -> {
            String url = rule.at("/annotations/runbook_url").asText();
            assertThat(url).as(name).isEqualTo("https://github.com/kpat-dev/kpat/blob/main/README.md#"
                    + name.toLowerCase());
            assertThat(anchors).as("README section for %s", name).contains(name.toLowerCase());
            assertThat(rule.at("/annotations/summary").asText()).as(name).isNotBlank();
            assertThat(rule.at("/labels/severity").asText()).as(name).isIn("warning", "critical");
        });
    }

    @Test
    void theDashboardIsAConfigMapForTheGrafanaSidecar() throws IOException {
        JsonNode map = one(allFeatures(), "ConfigMap", "-dashboard");
        assertThat(map.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        JsonNode dashboard = JSON.readTree(map.at("/data/kpat.json").asText());
        assertThat(dashboard.get("title").asText()).isEqualTo("kpat");
        List<String> titles = new ArrayList<>();
        dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles).contains("Tokens by phase", "Expiring within 7 days without rotation",
                "Verifications by decision", "Request latency");
        assertThat(dashboardExpressions(dashboard)).hasSizeGreaterThan(15).allSatisfy(e ->
                assertThat(PromQl.metricNames(e)).as(e).isNotEmpty());
    }

    @Test
    void theNotesSayHowToGetATokenAndWarnAboutAnUnreachableWebhook() {
        String notes = notes(Chart.DIR.resolve("values.yaml"));
        assertThat(notes).contains("kind: PersonalAccessToken", "kubectl -n default get secret my-first-token"
                        + " -o jsonpath='{.data.token}' | base64 -d",
                "http://kpat-verifier.kpat-system.svc.cluster.local:8080/v1/auth?scope=read",
                "delete the tokens first").doesNotContain("WARNING");
        // every feature on, but the API server not let through the NetworkPolicy: the webhooks cannot be reached
        String warned = new Helm(Chart.DIR).install().withName("kpat").withNamespace("kpat-system").dryRun()
                .clientOnly().withValuesFile(Chart.ALL_FEATURES).set("networkPolicy.apiServerCIDRs", "null").call()
                .getOutput();
        assertThat(warned).contains("in a watched namespace: kpat-ci-team-a, kpat-ci-team-b",
                "kubectl -n kpat-ci-team-a get pat my-first-token", "WARNING: verifier.clientCA is set but"
                        + " networkPolicy.apiServerCIDRs is empty");
    }

    private static String notes(Path values) {
        return new Helm(Chart.DIR).install().withName("kpat").withNamespace("kpat-system").dryRun().clientOnly()
                .withValuesFile(values).call().getOutput();
    }

    /** The alert rules by name. */
    static Map<String, JsonNode> alerts(JsonNode prometheusRule) {
        Map<String, JsonNode> out = new TreeMap<>();
        prometheusRule.at("/spec/groups").forEach(g -> g.get("rules").forEach(r -> out.put(r.get("alert").asText(), r)));
        return out;
    }

    /** Every PromQL expression of the dashboard's panels. */
    static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.path("targets").forEach(t -> out.add(t.get("expr").asText())));
        return out;
    }
}
