package dev.kpat.cli;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.reconcile.ChartOperator;
import dev.kpat.reconcile.OperatorHarness;
import dev.kpat.reconcile.RealServerOperator;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.PatPlugin;
import dev.kpat.testing.RealCluster;
import dev.kpat.token.TokenFormat;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code kubectl pat} as a user runs it: the real kubectl finds {@code kubectl-pat} (operator/bin's script) on PATH
 * and runs it as a process against the real API server, where the operator (the chart's ServiceAccount) issues
 * tokens. Every assertion reads the process's own stdout, stderr and exit code. Token values are compared, never
 * printed: no assertion message carries create's stdout.
 */
@ExtendWith({RealCluster.class, ChartOperator.class})
class KubectlPatPluginTest {
    private static final List<String> PAT_COLUMNS = List.of("NAME", "READY", "OWNER", "SCOPES", "PHASE", "EXPIRES",
            "LAST USED", "AGE");
    private static LocalControlPlane plane;
    private static RealServerOperator operator;
    private static PatPlugin plugin;
    private static Kubectl admin;

    private OperatorHarness h;
    /** The administrator's kubeconfig with the test's namespace as the context's namespace. */
    private Path kubeconfig;

    @BeforeAll
    static void install(LocalControlPlane controlPlane, RealServerOperator chartOperator, @TempDir Path dir) {
        plane = controlPlane;
        operator = chartOperator;
        plugin = PatPlugin.install(plane.binaries(), dir);
        admin = new Kubectl(plane, plane.adminKubeconfig());
    }

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        h = operator.harness("kpat-cli").start(OperatorSettings.defaults());
        kubeconfig = Files.copy(plane.adminKubeconfig(), dir.resolve("kubeconfig"));
        Kubectl own = new Kubectl(plane, kubeconfig);
        assertThat(own.run("config", "set-context", "--current", "--namespace=" + h.ns).ok()).isTrue();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private Kubectl.Result pat(String... args) {
        return plugin.pat(kubeconfig, args);
    }

    private PersonalAccessToken active(String name) {
        return h.awaitPat(name, p -> phaseIs(p, "Active"));
    }

    /** Table rows split into cells (two or more spaces apart, as kubectl pads). */
    private static List<List<String>> rows(String table) {
        return table.lines().map(l -> List.of(l.trim().split("\\s{2,}"))).toList();
    }

    private static JsonNode json(String text) throws Exception {
        return Serialization.jsonMapper().readTree(text);
    }

    /** The one line an API error is: "error: ...", no stack trace, nothing on stdout. */
    private static void oneLineError(Kubectl.Result r, int exitCode, String... contains) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.out()).as(r.toString()).isEmpty();
        assertThat(r.err().lines().toList()).as(r.toString()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("error: ").contains(contains)
                        .doesNotContain("Exception", "\tat "));
    }

    @Test
    void listPrintsTheTokensInEveryFormatAndGetShowsThePrinterColumns() throws Exception {
        h.create("alpha", s -> s.setTtl("30d"));
        h.create("beta", s -> {
            s.setTtl("30d");
            s.setScopes(List.of("read"));
        });
        String other = h.namespace("other", Map.of());
        h.create(other, "gamma", s -> s.setTtl("30d"));
        String alphaId = active("alpha").getStatus().getTokenId();
        active("beta");
        await().atMost(Duration.ofSeconds(15)).until(() -> phaseIs(h.get(other, "gamma"), "Active"));

        // the context's namespace, no flags: what printed nothing at all before
        Kubectl.Result list = pat("list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<List<String>> table = rows(list.out());
        assertThat(table.get(0)).containsExactlyElementsOf(PAT_COLUMNS);
        assertThat(table.subList(1, table.size())).extracting(r -> r.subList(0, 5)).containsExactly(
                List.of("alpha", "True", "user-a", "read,write:tasks", "Active"),
                List.of("beta", "True", "user-a", "read", "Active"));

        Kubectl.Result all = pat("list", "-A");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        List<List<String>> allRows = rows(all.out());
        assertThat(allRows.get(0).get(0)).isEqualTo("NAMESPACE");
        assertThat(allRows.get(0).subList(1, allRows.get(0).size())).containsExactlyElementsOf(PAT_COLUMNS);
        assertThat(allRows).extracting(r -> r.get(0) + "/" + r.get(1))
                .contains(h.ns + "/alpha", h.ns + "/beta", other + "/gamma");

        JsonNode asJson = json(pat("list", "-o", "json").out());
        assertThat(asJson.path("kind").asText()).isEqualTo("List");
        assertThat(StreamSupport.stream(asJson.path("items").spliterator(), false)
                .map(i -> i.path("metadata").path("name").asText())).containsExactly("alpha", "beta");
        assertThat(asJson.path("items").get(0).path("status").path("tokenId").asText()).isEqualTo(alphaId);

        @SuppressWarnings("unchecked")
        Map<String, Object> asYaml = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(pat("list", "-o", "yaml", "-n", other).out());
        assertThat((List<?>) asYaml.get("items")).singleElement().satisfies(i -> assertThat(
                ((Map<?, ?>) ((Map<?, ?>) i).get("metadata")).get("name")).isEqualTo("gamma"));

        assertThat(pat("list", "-o", "name").out().lines()).containsExactly(
                "personalaccesstoken.kpat.dev/alpha", "personalaccesstoken.kpat.dev/beta");

        String empty = h.namespace("empty", Map.of());
        Kubectl.Result none = pat("list", "-n", empty);
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEqualTo("No resources found in " + empty + " namespace.\n");

        // the CRD's own printer columns, through kubectl get, in the same order, Age last
        Kubectl.Result get = admin.run("get", "pat", "-n", h.ns);
        assertThat(rows(get.out()).get(0)).as(get.toString()).containsExactlyElementsOf(PAT_COLUMNS);
        assertThat(rows(get.out()).get(1).subList(0, 2)).containsExactly("alpha", "True");
        // and the category: kubectl get kpat lists every kpat kind there is
        Kubectl.Result kinds = admin.run("api-resources", "--categories=kpat", "-o", "name");
        assertThat(kinds.out().lines()).as(kinds.toString()).containsExactlyInAnyOrder(
                "personalaccesstokens.kpat.dev", "tokenrecords.kpat.dev", "tokenpolicies.kpat.dev",
                "clustertokenpolicies.kpat.dev");
        Kubectl.Result category = admin.run("get", "kpat", "-n", h.ns, "-o", "name");
        assertThat(category.out().lines()).as(category.toString()).contains("personalaccesstoken.kpat.dev/alpha",
                "personalaccesstoken.kpat.dev/beta", "tokenrecord.kpat.dev/" + alphaId);
    }

    @Test
    void createWaitsForReadyAndPrintsTheValueOnce() {
        Kubectl.Result created = pat("create", "ci", "--scope", "read", "--scope", "write:tasks", "--ttl", "30d",
                "--rotate", "--description", "CI job");
        // stderr carries progress and hints only (the hint of a value, never the value): safe to show
        assertThat(created.exitCode()).as(created.err()).isZero();
        String value = h.valueIn("ci");
        assertThat(new TokenFormat("kpat_").isWellFormed(value)).isTrue();
        assertThat(created.out().equals(value + "\n")).as("stdout is exactly the Secret's value").isTrue();
        assertThat(created.err().contains(value)).as("stderr never carries the value").isFalse();
        PersonalAccessToken ci = h.get("ci");
        assertThat(created.err()).contains("personalaccesstoken.kpat.dev/ci created in namespace " + h.ns,
                "waiting for the operator to issue it", "Ready: " + ci.getStatus().getTokenHint(),
                "warning: this is the only time kubectl pat shows the value",
                "Secret " + h.ns + "/ci (key \"token\")");
        assertThat(ci.getSpec().getOwner()).as("the owner defaults to the caller").isEqualTo("kpat-admin");
        assertThat(ci.getSpec().getScopes()).containsExactly("read", "write:tasks");
        assertThat(ci.getSpec().getTtl()).isEqualTo("30d");
        assertThat(ci.getSpec().getRotation().isEnabled()).isTrue();
        assertThat(ci.getSpec().getDescription()).isEqualTo("CI job");

        Kubectl.Result noWait = pat("create", "fixed", "--scope", "read,write:tasks", "--expires-at",
                "2027-06-01T00:00:00Z", "--owner", "alice", "--no-wait");
        assertThat(noWait.exitCode()).as(noWait.toString()).isZero();
        assertThat(noWait.out()).isEmpty();
        assertThat(h.get("fixed").getSpec().getExpiresAt()).isEqualTo("2027-06-01T00:00:00Z");
        assertThat(h.get("fixed").getSpec().getOwner()).isEqualTo("alice");
        assertThat(h.get("fixed").getSpec().getScopes()).containsExactly("read", "write:tasks");

        // a spec the operator refuses stops the wait at once, with what to do about it
        Kubectl.Result refused = pat("create", "too-long", "--scope", "read", "--ttl", "400d");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(PatExit.NOT_READY);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).contains("Failed, Ready=False (InvalidSpec)",
                "error: personalaccesstoken \"too-long\" cannot be issued: InvalidSpec: spec.ttl: '400d' exceeds",
                "hint: " + NextSteps.hint("InvalidSpec", h.get("too-long")).orElseThrow());

        Kubectl.Result again = pat("create", "ci", "--scope", "read", "--no-wait");
        oneLineError(again, PatExit.ERROR, "HTTP 409", "already exists");

        Kubectl.Result both = pat("create", "x", "--scope", "read", "--ttl", "1d", "--expires-at",
                "2027-01-01T00:00:00Z");
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(PatExit.USAGE);
        assertThat(both.err()).contains("mutually exclusive");
        Kubectl.Result badTimeout = pat("create", "x", "--scope", "read", "--timeout", "soon");
        assertThat(badTimeout.exitCode()).as(badTimeout.toString()).isEqualTo(PatExit.USAGE);
        assertThat(badTimeout.err()).isEqualTo("error: --timeout: 'soon' is not a duration (use e.g. 30d, 720h, 90m"
                + " or 1h30m)\n");
        assertThat(h.get("x")).isNull();
    }

    @Test
    void statusShowsRecordsSecretEventsAndWhatToDoNext() throws Exception {
        h.create("ci", s -> s.setTtl("30d"));
        String first = active("ci").getStatus().getTokenId();
        Kubectl.Result rotate = pat("rotate", "ci");
        assertThat(rotate.exitCode()).as(rotate.toString()).isZero();
        assertThat(rotate.out()).startsWith("personalaccesstoken.kpat.dev/ci rotation requested (kpat.dev/rotate=");
        PersonalAccessToken ci = h.awaitPat("ci", p -> p.getStatus().getRevision() == 2L);
        String current = ci.getStatus().getTokenId();
        await().atMost(Duration.ofSeconds(10)).until(() -> h.hasEvent("ci", "Rotated"));

        Kubectl.Result status = pat("status", "ci");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        String text = status.out();
        assertThat(text.contains(h.valueIn("ci"))).as("status never shows the value").isFalse();
        assertThat(text).doesNotContain("sha256:");
        assertThat(text).contains("Phase:           Active", "Ready:           True (Rotated)",
                "Current value:   " + current + " (" + ci.getStatus().getTokenHint() + "), revision 2",
                "Secret " + h.ns + "/ci (metadata only):", "Type:             kpat.dev/token",
                "Token id:         " + current + " (the current value)", "Keys:             token",
                "Next steps:\n  none: the token is Ready\n");
        List<List<String>> records = rows(text.substring(text.indexOf("Records"), text.indexOf("\nSecret"))).stream()
                .filter(r -> r.size() > 2).toList();
        assertThat(records).anySatisfy(r -> assertThat(r.subList(0, 2)).containsExactly(current, "Current"));
        assertThat(records).anySatisfy(r -> assertThat(r.subList(0, 2)).containsExactly(first, "Revoked"));
        assertThat(text).contains("(ManualRotation)");
        String events = text.substring(text.indexOf("Events"), text.indexOf("Next steps"));
        assertThat(events).contains("Rotated", "Issued", "kpat.dev/operator");

        JsonNode report = json(pat("status", "ci", "-o", "json").out());
        assertThat(report.path("tokenId").asText()).isEqualTo(current);
        assertThat(report.path("records")).hasSize(2);
        // the current value first
        assertThat(report.path("records").get(0).path("id").asText()).isEqualTo(current);
        assertThat(report.path("records").get(0).path("current").asBoolean()).isTrue();
        assertThat(report.path("records").get(1).path("id").asText()).isEqualTo(first);
        assertThat(report.path("records").get(1).path("revocationReason").asText()).isEqualTo("ManualRotation");
        assertThat(report.path("secret").path("tokenId").asText()).isEqualTo(current);
        assertThat(report.path("secret").path("keys").toString()).isEqualTo("[\"token\"]");
        assertThat(report.path("nextSteps")).isEmpty();
        assertThat(report.toString()).doesNotContain("hash", "sha256:");

        // a token that cannot be issued yet: the reason, and the one thing to do about it
        h.create("robot", s -> s.setOwner("system:serviceaccount:" + h.ns + ":robot"));
        PersonalAccessToken robot = h.awaitPat("robot", p -> phaseIs(p, "Pending"));
        String hint = NextSteps.hint("OwnerNotFound", robot).orElseThrow();
        Kubectl.Result pending = pat("status", "robot");
        assertThat(pending.exitCode()).as(pending.toString()).isZero();
        assertThat(pending.out()).contains("Ready:           False (OwnerNotFound)",
                "Next steps:\n  OwnerNotFound: " + hint + "\n");
        JsonNode steps = json(pat("status", "robot", "-o", "json").out()).path("nextSteps");
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).path("reason").asText()).isEqualTo("OwnerNotFound");
        assertThat(steps.get(0).path("hint").asText()).isEqualTo(hint);
        // doing what it says works
        h.client.serviceAccounts().inNamespace(h.ns).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("robot").endMetadata().build()).create();
        active("robot");
    }

    @Test
    void auditGatesCiAndRevokeClearsTheFinding() throws Exception {
        h.create("wild", s -> {
            s.setScopes(List.of("*"));
            s.setTtl("30d");
        });
        h.create("plain", s -> s.setTtl("30d"));
        active("wild");
        active("plain");

        Kubectl.Result audit = pat("audit", "-o", "json", "--fail-on-findings");
        assertThat(audit.exitCode()).as(audit.toString()).isEqualTo(PatExit.FINDINGS);
        List<String> findings = new ArrayList<>();
        json(audit.out()).forEach(f -> findings.add(f.path("name").asText() + ":" + f.path("rule").asText()));
        assertThat(findings).contains("wild:WildcardScope").noneMatch(f -> f.startsWith("plain:"));
        assertThat(pat("audit", "-o", "name").out().lines()).containsExactly("personalaccesstoken.kpat.dev/wild");

        Kubectl.Result revoke = pat("revoke", "wild");
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        assertThat(revoke.out()).isEqualTo("personalaccesstoken.kpat.dev/wild revoked\n");
        h.awaitPat("wild", p -> phaseIs(p, "Revoked"));
        Kubectl.Result clean = pat("audit", "--fail-on-findings");
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(clean.out()).isEqualTo("No findings.\n");
    }

    @Test
    void apiErrorsAreOneLineWithTheirDocumentedExitCodes(@TempDir Path dir) throws Exception {
        h.create("ci", s -> s.setTtl("30d"));
        active("ci");
        oneLineError(pat("status", "nope"), PatExit.NOT_FOUND,
                "personalaccesstoken \"nope\" not found in namespace \"" + h.ns + "\"");
        oneLineError(pat("rotate", "nope", "-n", h.ns), PatExit.NOT_FOUND, "\"nope\" not found");

        // --kubeconfig wins over $KUBECONFIG: a user RBAC grants nothing
        Path nobody = plane.kubeconfigFor("kpat-cli-nobody", List.of());
        oneLineError(pat("list", "--kubeconfig", nobody.toString(), "-n", h.ns), PatExit.FORBIDDEN, "HTTP 403",
                "kpat-cli-nobody", "cannot list resource \"personalaccesstokens\"");

        // a kubeconfig whose current context is a server that is not there; --context picks the live one
        Path two = Files.copy(kubeconfig, dir.resolve("two-contexts"));
        Kubectl edit = new Kubectl(plane, two);
        String live = edit.run("config", "current-context").out().strip();
        String user = edit.run("config", "view", "-o", "jsonpath={.contexts[0].context.user}").out().strip();
        assertThat(edit.run("config", "set-cluster", "gone", "--server=https://127.0.0.1:1").ok()).isTrue();
        assertThat(edit.run("config", "set-context", "gone", "--cluster=gone", "--user=" + user).ok()).isTrue();
        assertThat(edit.run("config", "use-context", "gone").ok()).isTrue();
        oneLineError(plugin.pat(two, "list"), PatExit.UNREACHABLE,
                "cannot reach the Kubernetes API at https://127.0.0.1:1/");
        Kubectl.Result viaContext = plugin.pat(two, "list", "--context", live);
        assertThat(viaContext.exitCode()).as(viaContext.toString()).isZero();
        assertThat(rows(viaContext.out())).extracting(r -> r.get(0)).containsExactly("NAME", "ci");
        oneLineError(plugin.pat(two, "list", "--context", "nope"), PatExit.ERROR,
                "context \"nope\" does not exist");

        Kubectl.Result usage = pat("list", "-o", "wide");
        assertThat(usage.exitCode()).isEqualTo(PatExit.USAGE);
        assertThat(usage.err()).contains("expected one of [table, json, yaml, name]");
    }

    @Test
    void shellCompletionForKubectlPatAndForKubectlPluginCompletion() {
        Kubectl.Result script = pat("completion", "bash");
        assertThat(script.exitCode()).as(script.err()).isZero();
        assertThat(script.out()).contains("complete -F _complete_kubectl-pat");
        // bash completes kubectl-pat's subcommands and -o values from the script
        Kubectl.Result bash = plugin.run(List.of("bash", "-c", """
                source <(kubectl-pat completion bash) 2>/dev/null
                COMP_WORDS=(kubectl-pat st); COMP_CWORD=1; _complete_kubectl-pat 2>/dev/null
                echo "${COMPREPLY[*]}"
                COMP_WORDS=(kubectl-pat list -o ''); COMP_CWORD=3; _complete_kubectl-pat 2>/dev/null
                echo "${COMPREPLY[*]}"
                """), Map.of("KUBECONFIG", kubeconfig.toString()));
        assertThat(bash.out().lines()).as(bash.toString()).containsExactly("status", "table json yaml name");

        // kubectl pat <TAB>: kubectl asks kubectl_complete-pat, found on PATH
        Kubectl.Result sub = plugin.run(List.of("kubectl", "__complete", "pat", "st"), Map.of());
        assertThat(sub.out().lines()).as(sub.toString()).containsExactly("status", ":4");
        Kubectl.Result output = plugin.run(List.of("kubectl", "__complete", "pat", "list", "-o", ""), Map.of());
        assertThat(output.out().lines()).as(output.toString())
                .containsExactlyInAnyOrder("table", "json", "yaml", "name", ":4");

        // a token's NAME: the tokens of the namespace, asked of the API server as the command would
        h.create("alpha", s -> s.setTtl("30d"));
        h.create("alpine", s -> s.setTtl("30d"));
        h.create("beta", s -> s.setTtl("30d"));
        String other = h.namespace("other", Map.of());
        h.create(other, "gamma", s -> s.setTtl("30d"));
        Map<String, String> env = Map.of("KUBECONFIG", kubeconfig.toString());
        Kubectl.Result names = plugin.run(List.of("kubectl", "__complete", "pat", "status", "al"), env);
        assertThat(names.out().lines()).as(names.toString()).containsExactly("alpha", "alpine", ":4");
        Kubectl.Result rotate = plugin.run(List.of("kubectl", "__complete", "pat", "rotate", ""), env);
        assertThat(rotate.out().lines()).as(rotate.toString()).contains("alpha", "alpine", "beta", ":4")
                .doesNotContain("gamma");
        Kubectl.Result elsewhere = plugin.run(List.of("kubectl", "__complete", "pat", "revoke", "-n", other, ""),
                env);
        assertThat(elsewhere.out().lines()).as(elsewhere.toString()).contains("gamma", ":4").doesNotContain("alpha");
        // one NAME only, and list takes none
        assertThat(plugin.run(List.of("kubectl", "__complete", "pat", "status", "alpha", ""), env).out().lines())
                .doesNotContain("alpha", "alpine", "beta");
        assertThat(plugin.run(List.of("kubectl", "__complete", "pat", "list", ""), env).out().lines())
                .doesNotContain("alpha");
    }
}
