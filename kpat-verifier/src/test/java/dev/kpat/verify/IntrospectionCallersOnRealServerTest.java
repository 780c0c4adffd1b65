package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.RealCluster;
import dev.kpat.verify.callers.CallerSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Introspection callers on a real API server, with the verifier acting as the chart's ServiceAccount: registered
 * clients from a watched Secret (RBAC grants that one Secret by name), and ServiceAccount tokens checked with the
 * real TokenReview against the allow-list.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntrospectionCallersOnRealServerTest {
    private static final String CLIENTS = "kpat-introspection-clients";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String ns = "introspect-" + UUID.randomUUID().toString().substring(0, 8);
    private final String secretA = UUID.randomUUID().toString();
    private final String secretB = UUID.randomUUID().toString();
    private KubernetesClient admin;
    private KubernetesClient asVerifier;
    private VerifierService verifier;

    @BeforeAll
    void start(LocalControlPlane plane) throws Exception {
        admin = plane.admin();
        ChartRbac chart = ChartRbac.install(plane);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        for (String sa : List.of("reader", "stranger")) {
            admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName(sa).endMetadata().build()).create();
        }
        admin.secrets().inNamespace(ChartRbac.NAMESPACE).withName(CLIENTS).delete();
        admin.secrets().inNamespace(ChartRbac.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(CLIENTS).endMetadata().addToStringData("service-a", secretA).build()).create();
        Path kubeconfig = chart.verifierKubeconfig();
        asVerifier = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null,
                Files.readString(kubeconfig), kubeconfig.toString())).build();
        verifier = new VerifierService(asVerifier, VerifierSettings.plain(0).withHost("127.0.0.1")
                .withCallers(CallerSettings.none().withIntrospectionClients(ChartRbac.NAMESPACE + "/" + CLIENTS,
                        List.of(ns + ":reader"))), Clock.systemUTC(),
                AuditLog.to(java.io.OutputStream.nullOutputStream())).start();
        await().atMost(Duration.ofSeconds(20)).until(verifier::ready);
    }

    @AfterAll
    void stop() {
        if (verifier != null) {
            verifier.close();
        }
        if (asVerifier != null) {
            asVerifier.close();
        }
        admin.secrets().inNamespace(ChartRbac.NAMESPACE).withName(CLIENTS).delete();
        admin.namespaces().withName(ns).delete();
    }

    private HttpResponse<String> introspect(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verifier.port()
                        + "/v1/introspect")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=kpat_not_a_real_token"));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private int status(String authorization) throws Exception {
        return introspect(authorization).statusCode();
    }

    @Test
    void registeredClientsFromTheWatchedSecret() throws Exception {
        HttpResponse<String> anonymous = introspect(null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).contains("Basic realm=\"kpat\"");
        assertThat(anonymous.body()).isEqualTo("{\"error\":\"invalid_client\"}");
        assertThat(status(basic("service-a", secretB))).as("wrong secret").isEqualTo(401);
        assertThat(status(basic("nobody", secretA))).as("unknown client").isEqualTo(401);
        HttpResponse<String> ok = introspect(basic("service-a", secretA));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"active\":false}");

        // a client added to the Secret works without a restart; one removed stops
        assertThat(status(basic("service-b", secretB))).isEqualTo(401);
        admin.secrets().inNamespace(ChartRbac.NAMESPACE).withName(CLIENTS).edit(s -> new SecretBuilder(s)
                .withData(null).addToStringData("service-b", secretB).build());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(basic("service-b", secretB)) == 200);
        assertThat(status(basic("service-a", secretA))).as("replaced by the edit").isEqualTo(401);
    }

    @Test
    void allowedServiceAccountsWithTheirOwnTokens(LocalControlPlane plane) throws Exception {
        assertThat(status("Bearer " + token("reader"))).isEqualTo(200);
        assertThat(status("Bearer " + token("stranger"))).as("not on the allow-list").isEqualTo(401);
        assertThat(status("Bearer not-a-service-account-token")).isEqualTo(401);
    }

    private String token(String serviceAccount) {
        return admin.serviceAccounts().inNamespace(ns).withName(serviceAccount).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withExpirationSeconds(600L).endSpec().build()).getStatus().getToken();
    }
}
