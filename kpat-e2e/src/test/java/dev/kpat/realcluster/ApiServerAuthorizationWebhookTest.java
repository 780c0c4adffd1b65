package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.Phase;
import dev.kpat.api.TokenRecord;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.reconcile.TokenSecrets;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The verifier as the real kube-apiserver's TokenReview and authorization webhook ({@code Webhook,RBAC}): a PAT used
 * with the real kubectl gets its owner's RBAC intersected with its scopes; tokens that are not PATs are untouched.
 * alice may get, list, create and delete pods and edit ConfigMaps in the test namespace.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiServerAuthorizationWebhookTest {
    private final String ns = "kpat-authz-" + UUID.randomUUID().toString().substring(0, 6);
    private LocalControlPlane plane;
    private KubernetesClient client;
    private WebhookVerifier webhooks;
    private Kubectl withToken;
    private Kubectl admin;
    private String readToken;
    private String configMapsToken;

    @BeforeAll
    void start(LocalControlPlane plane) throws Exception {
        this.plane = plane;
        client = plane.clientFor("kpat-authz-test", "system:masters");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        webhooks = WebhookVerifier.authenticatingAndAuthorizing(plane, client, ns);

        client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("pods-and-cms")
                .endMetadata()
                .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list", "create", "delete")
                .endRule()
                .addNewRule().withApiGroups("").withResources("configmaps")
                .withVerbs("get", "list", "create", "update", "patch", "delete").endRule().build()).create();
        client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("robot").endMetadata().build()).create();
        client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
                .withName("pods-and-cms").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "pods-and-cms")
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("alice")
                .endSubject()
                .addNewSubject().withKind("ServiceAccount").withName("robot").withNamespace(ns).endSubject()
                .build()).create();
        pod("victim");
        withToken = new Kubectl(plane, plane.kubeconfigWithoutCredentials());
        admin = new Kubectl(plane, plane.adminKubeconfig());
        readToken = issue("alice-read", "alice", "read");
        configMapsToken = issue("alice-configmaps", "alice", "write:configmaps");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            var pats = client.resources(PersonalAccessToken.class).inNamespace(ns);
            pats.delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> pats.list().getItems().isEmpty());
            client.resources(TokenRecord.class).withLabel(Labels.PAT_NAMESPACE, ns).delete();
            client.namespaces().withName(ns).delete();
        } finally {
            if (webhooks != null) {
                webhooks.close();
            }
            client.close();
        }
    }

    @Test
    void readTokenListsPodsButCannotDeleteThemAlthoughItsOwnerCan() {
        Kubectl.Result list = withToken.run("--token", readToken, "get", "pods", "-n", ns, "-o", "name");
        assertThat(list.ok()).as(redact(list)).isTrue();
        assertThat(list.out()).contains("pod/victim");

        Kubectl.Result delete = withToken.run("--token", readToken, "delete", "pod", "victim", "-n", ns,
                "--wait=false");
        assertThat(delete.ok()).isFalse();
        assertThat(delete.err()).as(redact(delete)).contains("User \"alice\" cannot delete resource \"pods\"")
                .contains("token scopes [read] do not allow delete on pods (needs write or write:pods)");
        assertThat(client.pods().inNamespace(ns).withName("victim").get()).isNotNull();
        // alice herself (no PAT, so the webhook has no opinion) may: RBAC alone decides
        Kubectl.Result owner = admin.run("auth", "can-i", "delete", "pods", "-n", ns, "--as", "alice");
        assertThat(owner.out().trim()).as(owner.toString()).isEqualTo("yes");
    }

    @Test
    void writeConfigMapsTokenEditsConfigMapsAndNothingElse() {
        Kubectl.Result create = withToken.run("--token", configMapsToken, "create", "configmap", "settings",
                "--from-literal=color=red", "-n", ns);
        assertThat(create.ok()).as(redact(create)).isTrue();
        // server-side apply sends its PATCH without reading first (kubectl patch and edit get the object first)
        Kubectl.Result apply = withToken.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {color: blue}
                """, "--token", configMapsToken, "apply", "--server-side", "--force-conflicts",
                "-n", ns, "-f", "-");
        assertThat(apply.ok()).as(redact(apply)).isTrue();
        assertThat(client.configMaps().inNamespace(ns).withName("settings").get().getData())
                .containsEntry("color", "blue");

        // write does not imply read, and nothing reaches beyond configmaps
        assertDenied(withToken.run("--token", configMapsToken, "get", "configmap", "settings", "-n", ns),
                "do not allow get on configmaps (needs read or read:configmaps)");
        assertDenied(withToken.run("--token", configMapsToken, "get", "pods", "-n", ns),
                "do not allow list on pods (needs read or read:pods)");
        assertDenied(withToken.run("--token", configMapsToken, "delete", "pod", "victim", "-n", ns, "--wait=false"),
                "do not allow delete on pods (needs write or write:pods)");

        Kubectl.Result delete = withToken.run("--token", configMapsToken, "delete", "configmap", "settings", "-n", ns,
                "--wait=false");
        assertThat(delete.ok()).as(redact(delete)).isTrue();
        assertThat(client.configMaps().inNamespace(ns).withName("settings").get()).isNull();
    }

    @Test
    void kubectlAuthCanIAgreesWithTheScopes() {
        // kubectl prints the webhook's reason after "no"
        assertThat(canI(readToken, "delete", "pods"))
                .isEqualTo("no - token scopes [read] do not allow delete on pods (needs write or write:pods)");
        assertThat(canI(readToken, "list", "pods")).isEqualTo("yes");
        assertThat(canI(readToken, "list", "secrets")).isEqualTo("no"); // in scope, but alice has no RBAC for it
        assertThat(canI(configMapsToken, "patch", "configmaps")).isEqualTo("yes");
        assertThat(canI(configMapsToken, "list", "pods")).startsWith("no - token scopes [write:configmaps]");
    }

    @Test
    void serviceAccountsOwnTokenIsUntouchedWhileItsReadPatIsLimited() throws Exception {
        pod("robot-target");
        String robot = "system:serviceaccount:" + ns + ":robot";
        String pat = issue("robot-read", robot, "read");
        assertDenied(withToken.run("--token", pat, "delete", "pod", "robot-target", "-n", ns, "--wait=false"),
                "token scopes [read] do not allow delete on pods");

        Kubectl.Result own = new Kubectl(plane, plane.kubeconfigForServiceAccount(ns, "robot"))
                .run("delete", "pod", "robot-target", "-n", ns, "--wait=false");
        assertThat(own.ok()).as(own.toString()).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.pods().inNamespace(ns).withName("robot-target").get() == null);
    }

    private String canI(String token, String verb, String resource) {
        Kubectl.Result r = withToken.run("--token", token, "auth", "can-i", verb, resource, "-n", ns);
        // can-i exits 1 for "no"; any other failure prints no answer
        assertThat(r.exitCode()).as(redact(r)).isIn(0, 1);
        return r.out().trim();
    }

    private void assertDenied(Kubectl.Result r, String reason) {
        assertThat(r.ok()).as(redact(r)).isFalse();
        assertThat(r.err()).as(redact(r)).contains("Forbidden").contains(reason);
    }

    /** A Pod object: nothing schedules or runs it, but it can be listed and deleted. */
    private void pod(String name) {
        // the ServiceAccount admission plugin refuses pods until the controller has made the namespace's default
        // ServiceAccount, which takes a moment in a new namespace (longer right after an API server restart)
        await().atMost(Duration.ofSeconds(60)).until(() -> client.serviceAccounts().inNamespace(ns)
                .withName("default").get() != null);
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.invalid/app:1").endContainer()
                .endSpec().build()).create();
    }

    /** Creates a PAT as an administrator and returns its value, read from the Secret (never printed). */
    private String issue(String name, String owner, String... scopes) {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner(owner);
        spec.setScopes(List.of(scopes));
        spec.setTtl("1h");
        pat.setSpec(spec);
        client.resource(pat).create();
        var pats = client.resources(PersonalAccessToken.class).inNamespace(ns).withName(name);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            PersonalAccessToken p = pats.get();
            return p.getStatus() != null && p.getStatus().getPhase() == Phase.Active;
        });
        String value = TokenSecrets.valueOf(client.secrets().inNamespace(ns).withName(name).get()).reveal();
        // the verifier learns of the record through its watch
        await().atMost(Duration.ofSeconds(10)).until(() -> withToken.run("--token", value, "auth", "whoami").ok());
        return value;
    }

    /** What kubectl printed, with the test's token values replaced, for assertion messages. */
    private String redact(Kubectl.Result r) {
        String text = r.toString();
        for (String v : new String[] {readToken, configMapsToken}) {
            if (v != null) {
                text = text.replace(v, "<token>");
            }
        }
        return text.replaceAll("kpat_[0-9A-Za-z]{20,}", "<token>");
    }
}
