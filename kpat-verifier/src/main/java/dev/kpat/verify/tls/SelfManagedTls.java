package dev.kpat.verify.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Keeps the verifier's CA and serving certificate in one Secret, so every replica serves the same certificate and
 * the webhook configuration trusts one CA. The first replica creates it (a 409 means another won: use theirs); any
 * replica renews the serving certificate when it is due, under optimistic locking.
 */
public final class SelfManagedTls {
    static final Duration CA_LIFETIME = Duration.ofDays(3650);
    static final Duration SERVING_LIFETIME = Duration.ofDays(90);
    private static final String NOT_BEFORE = "kpat.dev/not-before";
    private static final String NOT_AFTER = "kpat.dev/not-after";
    private static final String DNS_NAMES = "kpat.dev/dns-names";

    private final KubernetesClient client;
    private final String namespace;
    private final String secretName;
    private final List<String> dnsNames;
    private final Clock clock;

    public SelfManagedTls(KubernetesClient client, String namespace, String secretName, List<String> dnsNames,
                          Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.secretName = secretName;
        this.dnsNames = List.copyOf(dnsNames);
        this.clock = clock;
    }

    /** The current serving certificate, created or renewed as needed. */
    public ServingCertificate ensure() {
        for (int attempt = 0; attempt < 5; attempt++) {
            Secret stored = client.secrets().inNamespace(namespace).withName(secretName).get();
            Instant now = clock.instant();
            try {
                if (stored == null) {
                    CertificateAuthority ca = CertificateAuthority.create("kpat-verifier-ca", now, CA_LIFETIME);
                    ServingCertificate cert = ca.issue(dnsNames, now, SERVING_LIFETIME);
                    client.secrets().inNamespace(namespace).resource(secret(ca, cert, null)).create();
                    return cert;
                }
                ServingCertificate current = read(stored);
                if (!current.dueForRenewal(now) && String.join(",", dnsNames).equals(annotation(stored, DNS_NAMES))) {
                    return current;
                }
                CertificateAuthority ca = CertificateAuthority.fromPem(data(stored, "ca.crt"), data(stored, "ca.key"));
                ServingCertificate renewed = ca.issue(dnsNames, now, SERVING_LIFETIME);
                client.secrets().inNamespace(namespace).resource(secret(ca, renewed,
                        stored.getMetadata().getResourceVersion())).update();
                return renewed;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // another replica created or renewed it first: read theirs
            }
        }
        throw new IllegalStateException("could not agree on the certificate in Secret " + namespace + "/"
                + secretName + " after 5 attempts");
    }

    private Secret secret(CertificateAuthority ca, ServingCertificate cert, String resourceVersion) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(secretName)
                .withNamespace(namespace)
                .withResourceVersion(resourceVersion)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "kpat-verifier"))
                .withAnnotations(Map.of(NOT_BEFORE, cert.notBefore().toString(), NOT_AFTER, cert.notAfter().toString(),
                        DNS_NAMES, String.join(",", dnsNames)))
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of("ca.crt", b64(ca.caPem()), "ca.key", b64(ca.caKeyPem()),
                        "tls.crt", b64(cert.certChainPem()), "tls.key", b64(cert.keyPem())))
                .build();
    }

    private static ServingCertificate read(Secret s) {
        return new ServingCertificate(data(s, "tls.crt"), data(s, "tls.key"), data(s, "ca.crt"),
                Instant.parse(annotation(s, NOT_BEFORE)), Instant.parse(annotation(s, NOT_AFTER)));
    }

    private static String annotation(Secret s, String key) {
        var a = s.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(key);
        if (v == null && !DNS_NAMES.equals(key)) {
            throw new IllegalStateException("Secret " + s.getMetadata().getName() + " lacks annotation " + key
                    + "; delete it to let the verifier recreate it");
        }
        return v;
    }

    private static String data(Secret s, String key) {
        String v = s.getData() == null ? null : s.getData().get(key);
        if (v == null) {
            throw new IllegalStateException("Secret " + s.getMetadata().getName() + " lacks key " + key
                    + "; delete it to let the verifier recreate it");
        }
        return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
