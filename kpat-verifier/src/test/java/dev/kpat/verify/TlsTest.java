package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.localcluster.EmbeddedCluster;
import dev.kpat.testing.MutableClock;
import dev.kpat.verify.tls.SelfManagedTls;
import dev.kpat.verify.tls.ServingCertificate;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a self-managed CA kept in a Secret: shared by replicas, renewed when due, trusted via its CA bundle. */
class TlsTest {
    private final EmbeddedCluster cluster = new EmbeddedCluster().start();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));

    @AfterEach
    void stop() {
        cluster.close();
    }

    private SelfManagedTls tls() {
        return new SelfManagedTls(cluster.client(), "kpat-system", "kpat-verifier-tls", List.of("localhost",
                "kpat-verifier.kpat-system.svc"), clock);
    }

    @Test
    void replicasShareOneCertificateAndRenewItWhenDue() throws Exception {
        ServingCertificate first = tls().ensure();
        ServingCertificate second = tls().ensure();
        assertThat(second.certChainPem()).isEqualTo(first.certChainPem());
        X509Certificate leaf = parse(first.certChainPem());
        List<String> sans = leaf.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList();
        assertThat(sans).containsExactly("localhost", "kpat-verifier.kpat-system.svc");
        leaf.verify(parse(first.caPem()).getPublicKey());

        clock.advance(Duration.ofDays(59));
        assertThat(tls().ensure().certChainPem()).isEqualTo(first.certChainPem());
        clock.advance(Duration.ofDays(2));
        ServingCertificate renewed = tls().ensure();
        assertThat(renewed.certChainPem()).isNotEqualTo(first.certChainPem());
        assertThat(renewed.caPem()).as("the CA stays, so webhook configs keep trusting").isEqualTo(first.caPem());
        assertThat(renewed.notAfter()).isAfter(first.notAfter());
        assertThat(renewed.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void verifierServesHttpsTrustedThroughTheCaBundle(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("ca.crt");
        VerifierSettings settings = VerifierSettings.plain(0).withSelfManagedTls("kpat-system/kpat-verifier-tls",
                List.of("localhost"), bundle);
        try (VerifierService verifier = new VerifierService(cluster.client(), settings, clock).start()) {
            await().atMost(Duration.ofSeconds(10)).until(verifier::ready);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("kpat-ca", parse(Files.readString(bundle)));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpResponse<String> r = HttpClient.newBuilder().sslContext(ssl).build().send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + verifier.port() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
