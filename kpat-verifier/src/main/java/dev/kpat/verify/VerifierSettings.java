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
 * @param httpPort            a second, plain-HTTP port serving only forward-auth and health, for ingress controllers
 *                            inside the cluster (0: any free port); null for none
 * @param metricsPort         a plain-HTTP port for {@code /metrics} and health, which then leave the main port
 *                            (0: any free port); null to serve them on the main port
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
        CallerSettings callers,
        Integer httpPort,
        Integer metricsPort) {

    public static VerifierSettings plain(int port) {
        return new VerifierSettings("0.0.0.0", port, List.of(), Duration.ofSeconds(10), 60, 20, null, null,
                null, List.of(), null, CallerSettings.none(), null, null);
    }

    public VerifierSettings withUsageFlushInterval(Duration interval) {
        return new VerifierSettings(host, port, trustedProxies, interval, failuresPerMinute, failureBurst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers, httpPort,
                metricsPort);
    }

    public VerifierSettings withFailureLimit(long perMinute, long burst) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, perMinute, burst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers, httpPort,
                metricsPort);
    }

    public VerifierSettings withSelfManagedTls(String secret, List<String> dnsNames, Path caBundle) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, failuresPerMinute,
                failureBurst, null, null, secret, dnsNames, caBundle, callers, httpPort,
                metricsPort);
    }

    public VerifierSettings withCallers(CallerSettings callers) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, failuresPerMinute, failureBurst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers, httpPort,
                metricsPort);
    }

    public VerifierSettings withTls(Path certFile, Path keyFile) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, failuresPerMinute, failureBurst,
                certFile, keyFile, null, List.of(), null, callers, httpPort,
                metricsPort);
    }

    public VerifierSettings withHost(String host) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, failuresPerMinute, failureBurst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers, httpPort,
                metricsPort);
    }

    public VerifierSettings withTrustedProxies(List<String> cidrs) {
        return new VerifierSettings(host, port, cidrs, usageFlushInterval, failuresPerMinute, failureBurst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers, httpPort,
                metricsPort);
    }

    /** Adds the plain-HTTP forward-auth port and the metrics port (null: none). */
    public VerifierSettings withListeners(Integer httpPort, Integer metricsPort) {
        return new VerifierSettings(host, port, trustedProxies, usageFlushInterval, failuresPerMinute, failureBurst,
                tlsCertFile, tlsKeyFile, selfManagedTlsSecret, tlsDnsNames, caBundleFile, callers, httpPort,
                metricsPort);
    }
}
