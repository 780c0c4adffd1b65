package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.Phase;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import dev.kpat.testing.TokenUsers;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admission policy against token chaining and widening, on the real API server: requests made with a kpat
 * token (impersonation carrying the verifier's extra) and by real users (client certificates) who all may create and
 * update PersonalAccessTokens in the namespace.
 */
@ExtendWith(RealCluster.class)
class MintingByTokensTest {
    private static final String DENIED = "ValidatingAdmissionPolicy 'kpat-personalaccesstokens' with binding "
            + "'kpat-personalaccesstokens' denied request: ";
    private static final String NS = "minting-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    private static LocalControlPlane plane;

    @BeforeAll
    static void usersWhoMayEditTokens(LocalControlPlane p) {
        plane = p;
        Kubectl admin = new Kubectl(plane, plane.adminKubeconfig());
        ok(admin.run("create", "namespace", NS));
        ok(admin.run("create", "role", "pat-editor", "-n", NS, "--verb=get,list,create,update,patch,delete",
                "--resource=personalaccesstokens.kpat.dev"));
        ok(admin.run("create", "rolebinding", "pat-editors", "-n", NS, "--role=pat-editor",
                "--user=alice", "--user=mallory"));
    }

    @AfterAll
    static void removeNamespace() {
        plane.admin().namespaces().withName(NS).delete();
    }

    private static void ok(Kubectl.Result r) {
        assertThat(r.ok()).as(r.toString()).isTrue();
    }

    private static Kubectl user(String name) {
        return new Kubectl(plane, plane.kubeconfigFor(name, List.of()));
    }

    /** alice, through a kpat token with these scopes (and expiry, or null for never). */
    private static Kubectl aliceToken(String tokenId, List<String> scopes, Instant expiresAt) {
        return new Kubectl(plane, TokenUsers.kubeconfig(plane, "alice", tokenId, scopes, expiresAt));
    }

    private static Kubectl.Result create(Kubectl as, String name, String scopes, String lifetime) {
        return as.runWithInput("""
                apiVersion: kpat.dev/v1alpha1
                kind: PersonalAccessToken
                metadata: {name: %s, namespace: %s}
                spec: {owner: alice, scopes: %s, %s}
                """.formatted(name, NS, scopes, lifetime), "create", "-f", "-");
    }

    private static Kubectl.Result patchSpec(Kubectl as, String name, String specJson) {
        return as.run("patch", "pat", name, "-n", NS, "--type=merge", "-p", "{\"spec\":" + specJson + "}");
    }

    private static void assertDenied(Kubectl.Result r, String message) {
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.err()).as(r.toString()).contains(DENIED + message);
    }

    @Test
    void aReadTokenCannotMintATokenItsOwnerMay() {
        Kubectl read = aliceToken("tok-minting-read", List.of("read"), null);
        // the policy may be new to the API server when this class runs first: it loads within seconds
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertDenied(create(read, "by-read-token", "[read]", "ttl: 1h"),
                        "a kpat token may create or change PersonalAccessTokens only with the admin:tokens scope; "
                                + "this one (tok-minting-read) has read"));
        ok(create(user("alice"), "by-alice", "[read]", "ttl: 1h"));
        // nor change one: not even its metadata (a rotation request, say)
        assertDenied(read.run("annotate", "pat", "by-alice", "-n", NS, "kpat.dev/rotate=now"),
                "a kpat token may create or change PersonalAccessTokens only with the admin:tokens scope");
        assertThat(user("alice").run("get", "pat", "by-read-token", "-n", NS).err()).contains("NotFound");
    }

    @Test
    void anAdminTokensTokenMintsOnlyWithinItsScopesAndLifetime() {
        Instant callerExpires = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Kubectl admin = aliceToken("tok-minting-admin", List.of("read", "admin:tokens"), callerExpires);

        ok(create(admin, "narrow", "[\"read:pods\", \"admin:tokens\"]", "expiresAt: \"" + callerExpires + "\""));
        assertDenied(create(admin, "everything", "[\"*\"]", "expiresAt: \"" + callerExpires + "\""),
                "a kpat token cannot grant scopes beyond its own: * not covered by read, admin:tokens");
        assertDenied(create(admin, "writer", "[read, \"write:pods\"]", "expiresAt: \"" + callerExpires + "\""),
                "a kpat token cannot grant scopes beyond its own: write:pods not covered by read, admin:tokens");
        String outlive = "a kpat token cannot outlive the token that creates it: set spec.expiresAt to "
                + callerExpires + " or earlier (instead of spec.ttl or the default lifetime)";
        assertDenied(create(admin, "longer", "[read]", "expiresAt: \"" + callerExpires.plusSeconds(1) + "\""),
                outlive);
        // a relative lifetime restarts at every issue, so it cannot be bounded: even a short ttl is refused
        assertDenied(create(admin, "relative", "[read]", "ttl: 1m"), outlive);

        // what it minted it cannot widen afterwards either
        assertDenied(patchSpec(admin, "narrow", "{\"scopes\":[\"write\"]}"),
                "a kpat token cannot grant scopes beyond its own: write not covered by read, admin:tokens");
        assertDenied(patchSpec(admin, "narrow", "{\"expiresAt\":null,\"ttl\":\"8760h\"}"), outlive);
        ok(patchSpec(admin, "narrow", "{\"description\":\"pods reader\",\"scopes\":[\"read:pods\"]}"));

        // a token that never expires bounds scopes only; '*' and a bare 'admin' hold admin:tokens too
        ok(create(aliceToken("tok-minting-forever", List.of("admin"), null), "forever-child",
                "[\"admin:tokens\"]", "ttl: 1h"));
    }

    @Test
    void malloryWithUpdateRightsCannotWidenAlicesToken() {
        ok(create(user("alice"), "alice-ci", "[read]", "ttl: 1h"));
        Kubectl mallory = user("mallory");
        String notHers = "you (mallory) may change only your own tokens or those of identities you may impersonate;"
                + " this one belongs to alice";
        assertDenied(patchSpec(mallory, "alice-ci", "{\"scopes\":[\"*\"]}"), notHers);
        assertDenied(patchSpec(mallory, "alice-ci", "{\"ttl\":\"8760h\"}"), notHers);
        assertThat(plane.admin().resources(PersonalAccessToken.class).inNamespace(NS).withName("alice-ci").get()
                .getSpec().getScopes()).containsExactly("read");
        // metadata is not the token's authority: labels stay editable for whoever may update
        ok(mallory.run("label", "pat", "alice-ci", "-n", NS, "team=payments"));
        // alice herself still may
        ok(patchSpec(user("alice"), "alice-ci", "{\"scopes\":[\"read\",\"write:pods\"]}"));
    }

    @Test
    void theOperatorStillWritesStatusAndFinalizers() {
        ok(create(user("alice"), "operated", "[read]", "ttl: 1h"));
        try (KubernetesClient operator = ChartRbac.install(plane).operatorClient()) {
            var pats = operator.resources(PersonalAccessToken.class).inNamespace(NS).withName("operated");
            pats.edit(p -> {
                p.getMetadata().setFinalizers(List.of(Labels.FINALIZER));
                return p;
            });
            pats.editStatus(p -> {
                var status = new PersonalAccessTokenStatus();
                status.setPhase(Phase.Pending);
                p.setStatus(status);
                return p;
            });
            PersonalAccessToken written = pats.get();
            assertThat(written.getMetadata().getFinalizers()).containsExactly(Labels.FINALIZER);
            assertThat(written.getStatus().getPhase()).isEqualTo(Phase.Pending);
            pats.edit(p -> {
                p.getMetadata().setFinalizers(List.of());
                return p;
            });
        }
    }
}
