package dev.kpat.cli;

import dev.kpat.token.Durations;
import dev.kpat.verify.VerifierService;
import dev.kpat.verify.VerifierSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verifier", mixinStandardHelpOptions = true,
        description = "Serve token verification: RFC 7662 introspection, Kubernetes TokenReview, forward-auth.")
public class VerifierCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--trusted-proxies", split = ",", paramLabel = "CIDR",
            description = "Proxies whose X-Forwarded-For is believed, e.g. 10.0.0.0/8 (default: none).")
    List<String> trustedProxies = List.of();

    @Option(names = "--usage-flush-interval", defaultValue = "10s",
            description = "How often usage is written to TokenRecord status (default: ${DEFAULT-VALUE}).")
    String flushInterval;

    @Option(names = "--failed-attempts-per-minute", defaultValue = "60",
            description = "Failed attempts a client address may make per minute before 429 (default: ${DEFAULT-VALUE}).")
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
            description = "DNS names (or IP addresses) of the self-managed serving certificate, e.g. "
                    + "kpat-verifier.kpat-system.svc.")
    List<String> dnsNames = List.of();

    @Option(names = "--ca-bundle-file", description = "Write the self-managed CA bundle (PEM) here for webhook configs.")
    Path caBundleFile;

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
        List<AutoCloseable> started = new ArrayList<>();
        return Startup.run(spec.commandLine().getErr(), started, () -> {
            VerifierSettings settings = new VerifierSettings(host, port, trustedProxies,
                    Durations.parse(flushInterval), failuresPerMinute, failureBurst, tlsCert, tlsKey,
                    selfManagedSecret, dnsNames, caBundleFile);
            KubernetesClient client = Startup.connect(Startup.Access.listAndWatch("kpat.dev", "tokenrecords"),
                    "the verifier needs the ClusterRole of the Helm chart (helm/kpat/templates/verifier.yaml)");
            started.add(client);
            VerifierService service = new VerifierService(client, settings, Clock.systemUTC());
            started.add(service);
            service.start();
            return UntilShutdown.await(service, client);
        });
    }
}
