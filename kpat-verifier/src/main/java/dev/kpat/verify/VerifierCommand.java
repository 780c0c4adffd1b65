package dev.kpat.verify;

import dev.kpat.logging.LoggingOptions;
import dev.kpat.runtime.Startup;
import dev.kpat.runtime.UntilShutdown;
import dev.kpat.token.Durations;
import dev.kpat.verify.callers.CallerSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", aliases = "verifier", mixinStandardHelpOptions = true,
        description = "Serve token verification: RFC 7662 introspection, Kubernetes TokenReview, forward-auth.")
public class VerifierCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Also serve forward-auth (/v1/auth) and health over plain HTTP on this port, for ingress"
                    + " controllers inside the cluster; the webhooks and introspection stay on --port (default: none).")
    Integer httpPort;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve /metrics (and health) on this plain-HTTP port instead of --port (default: on --port).")
    Integer metricsPort;

    @Mixin
    LoggingOptions logging;

    @Option(names = "--trusted-proxies", split = ",", paramLabel = "CIDR",
            description = "Proxies whose X-Forwarded-For is believed, e.g. 10.0.0.0/8 (default: none).")
    List<String> trustedProxies = List.of();

    @Option(names = "--usage-flush-interval", defaultValue = "10s",
            description = "How often usage is written to TokenRecord status (default: ${DEFAULT-VALUE}).")
    String flushInterval;

    @Option(names = "--failed-attempts-per-minute", defaultValue = "60",
            description = "Failed attempts per minute a client, or a presented value, may make before 429; valid tokens"
                    + " are never limited (default: ${DEFAULT-VALUE}).")
    long failuresPerMinute;

    @Option(names = "--failed-attempts-burst", defaultValue = "20",
            description = "Failed attempts allowed in a burst (default: ${DEFAULT-VALUE}).")
    long failureBurst;

    @Option(names = "--tls-cert", description = "PEM certificate chain to serve HTTPS with (needs --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-self-managed-secret", paramLabel = "[NAMESPACE/]NAME",
            description = "Serve HTTPS with a self-managed CA and certificate kept in this Secret (shared by replicas).")
    String selfManagedSecret;

    @Option(names = "--tls-dns-names", split = ",",
            description = "DNS names and IP addresses of the self-managed serving certificate; IP addresses become IP"
                    + " SANs: list the address the API server's webhook kubeconfig dials, e.g. the Service's fixed"
                    + " ClusterIP (kpat-verifier.kpat-system.svc,10.96.200.20).")
    List<String> dnsNames = List.of();

    @Option(names = "--ca-bundle-file", description = "Write the self-managed CA bundle (PEM) here for webhook configs.")
    Path caBundleFile;

    @Option(names = "--client-ca-file", paramLabel = "FILE",
            description = "PEM CA of the API server's webhook client certificate: /v1/tokenreviews answers only callers"
                    + " with a certificate it signed (needs HTTPS).")
    Path clientCaFile;

    @Option(names = "--client-cert-names", split = ",", paramLabel = "CN",
            description = "Accept only client certificates with one of these common names, e.g. kube-apiserver"
                    + " (default: any the client CA signed).")
    List<String> clientCertNames = List.of();

    @Option(names = "--allow-unauthenticated-webhook-callers",
            description = "Serve /v1/tokenreviews to callers without a client certificate (not for production).")
    boolean allowUnauthenticatedWebhookCallers;

    @Option(names = "--introspection-clients-secret", paramLabel = "[NAMESPACE/]NAME",
            description = "Secret of introspection clients: each key a client id, its value the client's secret"
                    + " (HTTP Basic); watched, so changes apply without a restart.")
    String introspectionClientsSecret;

    @Option(names = "--introspection-service-accounts", split = ",", paramLabel = "NAMESPACE:NAME",
            description = "ServiceAccounts whose own tokens (Authorization: Bearer) may call /v1/introspect;"
                    + " checked with the API server's TokenReview.")
    List<String> introspectionServiceAccounts = List.of();

    /** A failure to start (no cluster, no permission, bad certificate) is one line on stderr and exit code 1. */
    @Override
    public Integer call() throws Exception {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        if (selfManagedSecret != null && (tlsCert != null || dnsNames.isEmpty())) {
            throw new ParameterException(spec.commandLine(),
                    "--tls-self-managed-secret needs --tls-dns-names and excludes --tls-cert");
        }
        if (clientCaFile != null && allowUnauthenticatedWebhookCallers) {
            throw new ParameterException(spec.commandLine(),
                    "--client-ca-file and --allow-unauthenticated-webhook-callers exclude each other");
        }
        if (clientCaFile != null && tlsCert == null && selfManagedSecret == null) {
            throw new ParameterException(spec.commandLine(),
                    "--client-ca-file needs HTTPS: --tls-cert/--tls-key or --tls-self-managed-secret");
        }
        if (!clientCertNames.isEmpty() && clientCaFile == null) {
            throw new ParameterException(spec.commandLine(), "--client-cert-names needs --client-ca-file");
        }
        logging.apply();
        CallerSettings callers = new CallerSettings(clientCaFile, clientCertNames, allowUnauthenticatedWebhookCallers,
                introspectionClientsSecret, introspectionServiceAccounts);
        List<AutoCloseable> started = new ArrayList<>();
        return Startup.run(spec.commandLine().getErr(), started, () -> {
            VerifierSettings settings = new VerifierSettings(host, port, trustedProxies,
                    Durations.parse(flushInterval), failuresPerMinute, failureBurst, tlsCert, tlsKey,
                    selfManagedSecret, dnsNames, caBundleFile, callers, httpPort, metricsPort);
            KubernetesClient client = Startup.connect(Startup.Access.listAndWatch("kpat.dev", "tokenrecords"),
                    "the verifier needs the ClusterRole of the Helm chart (helm/kpat/templates/verifier-rbac.yaml)");
            started.add(client);
            VerifierService service = new VerifierService(client, settings, Clock.systemUTC());
            started.add(service);
            service.start();
            return UntilShutdown.await(service, client);
        });
    }
}
