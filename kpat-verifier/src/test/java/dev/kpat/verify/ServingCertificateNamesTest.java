package dev.kpat.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.verify.VerifierCommand;
import dev.kpat.localcluster.EmbeddedCluster;
import dev.kpat.testing.MutableClock;
import dev.kpat.verify.tls.SelfManagedTls;
import dev.kpat.verify.tls.ServingCertificate;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Webhook reachability (issue 8): kube-apiserver resolves names with the host's DNS, so its webhook kubeconfig
 * often points at an IP (the verifier Service's fixed ClusterIP, or a node address with a NodePort), and Go checks
 * a dialled IP against IP SANs only. IP addresses in {@code --tls-dns-names} become IP SANs (the real API server
 * dials one in ApiServerTokenWebhookTest); an address added later is in the certificate at the next start, signed by
 * the same CA, so the caBundle in the webhook configuration stays valid.
 */
class ServingCertificateNamesTest {
    private final EmbeddedCluster cluster = new EmbeddedCluster().start();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void anAddressAddedLaterBecomesAnIpSanSignedByTheSameCa() throws Exception {
        ServingCertificate dnsOnly = tls(List.of("kpat-verifier.kpat-system.svc")).ensure();
        assertThat(sans(dnsOnly)).containsExactly("DNS:kpat-verifier.kpat-system.svc");

        // the admin fixes the Service's ClusterIP and adds it, and an IPv6 node address, to the flag
        ServingCertificate withIps = tls(List.of("kpat-verifier.kpat-system.svc", "10.96.200.20", "fd00::20"))
                .ensure();
        assertThat(sans(withIps)).containsExactly("DNS:kpat-verifier.kpat-system.svc", "IP:10.96.200.20",
                "IP:fd00:0:0:0:0:0:0:20");
        assertThat(withIps.caPem()).as("the webhook configuration's caBundle stays valid").isEqualTo(dnsOnly.caPem());
        leaf(withIps).verify(parse(dnsOnly.caPem()).getPublicKey());
    }

    @Test
    void theFlagSaysThatAddressesAreAccepted() {
        String help = new CommandLine(new VerifierCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(help.replaceAll("\\s+", " ")).contains("--tls-dns-names")
                .contains("IP addresses become IP SANs");
    }

    private SelfManagedTls tls(List<String> names) {
        return new SelfManagedTls(cluster.client(), "kpat-system", "kpat-verifier-tls", names, clock);
    }

    private static List<String> sans(ServingCertificate cert) throws Exception {
        return leaf(cert).getSubjectAlternativeNames().stream()
                .map(san -> (san.get(0).equals(7) ? "IP:" : "DNS:") + san.get(1)).toList();
    }

    private static X509Certificate leaf(ServingCertificate cert) throws Exception {
        return parse(cert.certChainPem());
    }

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
