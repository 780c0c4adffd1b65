package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admission policy with real users and real RBAC: everyone here may create PersonalAccessTokens in the
 * namespace, but only for themselves, or for an identity their RBAC lets them impersonate.
 */
@ExtendWith(RealCluster.class)
class OwnerSpoofingTest {
    private static final String NS = "spoofing";
    private static LocalControlPlane plane;

    @BeforeAll
    static void usersAndRoles(LocalControlPlane p) {
        plane = p;
        Kubectl admin = new Kubectl(plane, plane.adminKubeconfig());
        admin.run("create", "namespace", NS);
        ok(admin.run("create", "role", "pat-editor", "-n", NS, "--verb=get,list,create,update,patch,delete",
                "--resource=personalaccesstokens.kpat.dev"));
        ok(admin.run("create", "rolebinding", "pat-editors", "-n", NS, "--role=pat-editor",
                "--user=alice", "--user=mallory", "--user=deployer", "--user=robot-admin"));
        // deployer may impersonate alice (and nobody else); robot-admin may impersonate one ServiceAccount
        ok(admin.run("create", "clusterrole", "impersonate-alice", "--verb=impersonate", "--resource=users",
                "--resource-name=alice"));
        ok(admin.run("create", "clusterrolebinding", "deployer-impersonates-alice", "--clusterrole=impersonate-alice",
                "--user=deployer"));
        ok(admin.run("create", "role", "impersonate-robot", "-n", NS, "--verb=impersonate",
                "--resource=serviceaccounts", "--resource-name=robot"));
        ok(admin.run("create", "rolebinding", "robot-admin-impersonates-robot", "-n", NS,
                "--role=impersonate-robot", "--user=robot-admin"));
    }

    private static void ok(Kubectl.Result r) {
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    private static Kubectl as(String user) {
        return new Kubectl(plane, plane.kubeconfigFor(user, List.of()));
    }

    private static String pat(String name, String owner) {
        return """
                apiVersion: kpat.dev/v1alpha1
                kind: PersonalAccessToken
                metadata: {name: %s, namespace: %s}
                spec: {owner: "%s", scopes: [read], ttl: 1h}
                """.formatted(name, NS, owner);
    }

    @Test
    void malloryCannotMintATokenForAlice() {
        // the API server loads a new admission policy within a few seconds of its creation
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Kubectl.Result r = as("mallory").runWithInput(pat("for-alice", "alice"), "apply", "-f", "-");
            if (r.ok()) {
                plane.admin().resources(dev.kpat.api.PersonalAccessToken.class).inNamespace(NS)
                        .withName("for-alice").delete();
            }
            assertThat(r.exitCode()).as(r.toString()).isNotZero();
            assertThat(r.err()).contains("ValidatingAdmissionPolicy 'kpat-personalaccesstokens'")
                    .contains("you (mallory) may create tokens only for yourself or for identities you may "
                            + "impersonate, not for alice");
        });
        assertThat(as("mallory").run("get", "pat", "for-alice", "-n", NS).err()).contains("NotFound");
    }

    @Test
    void anyoneMayMintForThemselves() {
        ok(as("alice").runWithInput(pat("alice-own", "alice"), "apply", "-f", "-"));
        ok(as("mallory").runWithInput(pat("mallory-own", "mallory"), "apply", "-f", "-"));
    }

    @Test
    void impersonationRightsAllowMintingForThatIdentityOnly() {
        ok(as("deployer").runWithInput(pat("deployer-for-alice", "alice"), "apply", "-f", "-"));
        Kubectl.Result bob = as("deployer").runWithInput(pat("deployer-for-bob", "bob"), "apply", "-f", "-");
        assertThat(bob.err()).contains("not for bob");

        String robot = "system:serviceaccount:" + NS + ":robot";
        ok(as("robot-admin").runWithInput(pat("robot-token", robot), "apply", "-f", "-"));
        Kubectl.Result other = as("robot-admin").runWithInput(pat("other-robot",
                "system:serviceaccount:" + NS + ":other"), "apply", "-f", "-");
        assertThat(other.err()).contains("not for system:serviceaccount:" + NS + ":other");
    }

    @Test
    void ownerRevocationAndRevokedSpecsCannotBeChanged() {
        Kubectl alice = as("alice");
        ok(alice.runWithInput(pat("alice-edit", "alice"), "apply", "-f", "-"));
        Kubectl.Result owner = alice.run("patch", "pat", "alice-edit", "-n", NS, "--type=merge",
                "-p", "{\"spec\":{\"owner\":\"mallory\"}}");
        assertThat(owner.err()).contains("spec.owner is immutable");

        ok(alice.run("patch", "pat", "alice-edit", "-n", NS, "--type=merge", "-p", "{\"spec\":{\"revoked\":true}}"));
        Kubectl.Result unrevoke = alice.run("patch", "pat", "alice-edit", "-n", NS, "--type=merge",
                "-p", "{\"spec\":{\"revoked\":false}}");
        assertThat(unrevoke.err()).contains("a revoked token is final");
        Kubectl.Result widen = alice.run("patch", "pat", "alice-edit", "-n", NS, "--type=merge",
                "-p", "{\"spec\":{\"scopes\":[\"*\"]}}");
        assertThat(widen.err()).contains("a revoked token is final");
        // metadata stays editable, so GitOps tools can still label and annotate a revoked token
        ok(alice.run("label", "pat", "alice-edit", "-n", NS, "team=payments"));
    }
}
