package dev.kpat.verify.tls;

import java.time.Instant;

/**
 * PEM material for HTTPS: the serving certificate (leaf first, then the CA), its private key, and the CA bundle
 * webhook configurations trust. The key is never logged.
 */
public record ServingCertificate(String certChainPem, String keyPem, String caPem, Instant notBefore,
                                 Instant notAfter) {
    /** Renew once two thirds of the lifetime have passed, as cert-manager does by default. */
    public boolean dueForRenewal(Instant now) {
        long lifetime = notAfter.toEpochMilli() - notBefore.toEpochMilli();
        return !now.isBefore(Instant.ofEpochMilli(notBefore.toEpochMilli() + lifetime * 2 / 3));
    }

    @Override
    public String toString() {
        return "ServingCertificate[notAfter=" + notAfter + "]";
    }
}
