package dev.kpat.verify;

import dev.kpat.verify.callers.CallerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a verifier runs.
 *
 * @param tlsCertFile         PEM certificate chain to serve (with {@code tlsKeyFile}); null for none
 * @param selfManagedTlsSecret Secret (namespace/name) that holds a self-managed CA and certificate; null for none
 * @param caBundleFile        where to write the CA bundle of a self-managed certificate; null for none
 * @param callers             who may call the API-server-only routes and introspection
 */
public record VerifierSettings(
        String host,
        int port,
        List<String> trustedProxies,
        Duration usageFlushInterval,
        long failuresPerMinute,
        long failureBurst,
        Path tlsCertFile,
        Path tlsKeyFile,
        String selfManagedTlsSecret,
        List<String> tlsDnsNames,
        Path caBundleFile,
        CallerSettings callers) {

    public static VerifierSettings plain(int port) {
        return new VerifierSettings("0.0.0.0", port, List.of(), Duration.ofSeconds(10), 60, 20, null, null,
                null, List.of(), null, CallerSettings.none());
    }

    public VerifierSettings withUsageFlushInterval(Duration interval) {
        return new VerifierSettings(host, port, trustedProxies, interval, failuresPerMinute, failureBurst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers);
    }

    public VerifierSettings withFailureLimit(long perMinute, long burst) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, perMinute, burst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers);
    }

    public VerifierSettings withSelfManagedTls(String secret, List<String> dnsNames, Path caBundle) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, failuresPerMinute,
                failureBurst, null, null, secret, dnsNames, caBundle, callers);
    }

    public VerifierSettings withCallers(CallerSettings callers) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, failuresPerMinute, failureBurst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers);
    }

    public VerifierSettings withTls(Path certFile, Path keyFile) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, failuresPerMinute, failureBurst,
                certFile, keyFile, null, List.of(), null, callers);
    }

    public VerifierSettings withHost(String host) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, failuresPerMinute, failureBurst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers);
    }

    public VerifierSettings withTrustedProxies(List<String> cidrs) {
        return new VerifierSettings(host, port, cidrs, usageFlushInterval, failuresPerMinute, failureBurst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers);
    }
}
