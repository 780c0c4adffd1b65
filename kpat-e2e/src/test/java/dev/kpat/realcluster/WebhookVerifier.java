package dev.kpat.realcluster;

import static org.awaitility.Awaitility.await;

import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.reconcile.KpatOperator;
import dev.kpat.verify.AuditLog;
import dev.kpat.verify.VerifierService;
import dev.kpat.verify.VerifierSettings;
import dev.kpat.verify.callers.CallerSettings;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A verifier serving the shared control plane's kube-apiserver as its TokenReview webhook (and, if asked, its
 * authorization webhook), over a self-managed certificate naming 127.0.0.1 and accepting only the API server's client
 * certificate, with an operator issuing the tokens. Closing it gives the API server back without webhooks: other
 * test classes share it.
 */
final class WebhookVerifier implements AutoCloseable {
    private final LocalControlPlane plane;
    private final Path caBundle;
    private final Path clientCa;
    private final VerifierService verifier;
    private final Operator operator;

    private WebhookVerifier(LocalControlPlane plane, KubernetesClient client, String tlsNamespace,
            List<String> dnsNames, boolean authorization, AuditLog audit) throws Exception {
        this.plane = plane;
        caBundle = Files.createTempFile("kpat-verifier-ca-", ".crt");
        // the API server's webhook client certificate (CN kube-apiserver) is signed by the control plane's CA
        clientCa = Files.writeString(Files.createTempFile("kpat-webhook-client-ca-", ".crt"), plane.caPem());
        VerifierSettings settings = VerifierSettings.plain(0).withHost("127.0.0.1")
                .withSelfManagedTls(tlsNamespace + "/kpat-verifier-tls", dnsNames, caBundle)
                .withCallers(CallerSettings.none().withClientCa(clientCa, List.of("kube-apiserver")));
        verifier = new VerifierService(client, settings, Clock.systemUTC(), audit).start();
        await().atMost(Duration.ofSeconds(30)).until(verifier::ready);
        // the API server dials the address in its webhook kubeconfig: the certificate must name it
        String base = "https://127.0.0.1:" + verifier.port();
        plane.reconfigure(URI.create(base + "/v1/tokenreviews"),
                authorization ? URI.create(base + "/v1/subjectaccessreviews") : null, caBundle);
        operator = startedOperator(client);
    }

    /**
     * An operator on {@code client} once the restarted API server answers it. Connections the client pooled before
     * the restart fail a request or two ("Connection was closed"), which would fail an informer's first list.
     */
    private static Operator startedOperator(KubernetesClient client) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> answers(client)
                && answers(client) && answers(client));
        Operator operator = KpatOperator.create(client, OperatorSettings.defaults(), Clock.systemUTC());
        operator.start();
        return operator;
    }

    private static boolean answers(KubernetesClient client) {
        try {
            client.resources(TokenRecord.class).list(new ListOptionsBuilder().withLimit(1L).build());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The TokenReview webhook only. */
    static WebhookVerifier authenticating(LocalControlPlane plane, KubernetesClient client, String tlsNamespace,
            List<String> dnsNames) throws Exception {
        return authenticating(plane, client, tlsNamespace, dnsNames, AuditLog.toStdout());
    }

    /** The TokenReview webhook only, its audit lines written to {@code audit}. */
    static WebhookVerifier authenticating(LocalControlPlane plane, KubernetesClient client, String tlsNamespace,
            List<String> dnsNames, AuditLog audit) throws Exception {
        return new WebhookVerifier(plane, client, tlsNamespace, dnsNames, false, audit);
    }

    /** The TokenReview and the authorization (SubjectAccessReview) webhooks. */
    static WebhookVerifier authenticatingAndAuthorizing(LocalControlPlane plane, KubernetesClient client,
            String tlsNamespace) throws Exception {
        return new WebhookVerifier(plane, client, tlsNamespace, List.of("127.0.0.1"), true, AuditLog.toStdout());
    }

    VerifierService verifier() {
        return verifier;
    }

    @Override
    public void close() throws Exception {
        try {
            operator.stop();
            verifier.close();
        } finally {
            plane.reconfigure(null, null, null);
            Files.deleteIfExists(caBundle);
            Files.deleteIfExists(clientCa);
        }
    }
}
