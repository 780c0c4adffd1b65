package dev.kpat.verify;

import dev.kpat.runtime.ProcessMetrics;
import dev.kpat.verify.callers.CallerSettings;
import dev.kpat.verify.callers.IntrospectionClients;
import dev.kpat.verify.callers.ServiceAccountCallers;
import dev.kpat.verify.http.ApiServerCallers;
import dev.kpat.verify.http.ClientAddress;
import dev.kpat.verify.http.ClientCredentials;
import dev.kpat.verify.http.FailureLimits;
import dev.kpat.verify.http.IntrospectionCallers;
import dev.kpat.verify.http.VerifierServer;
import dev.kpat.verify.tls.SelfManagedTls;
import dev.kpat.verify.tls.ServingCertificate;
import dev.kpat.verify.reuse.RevokedTokenUseReporter;
import dev.kpat.verify.usage.UsageFlusher;
import dev.kpat.verify.usage.UsageTracker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A whole verifier: index fed from the API, HTTP(S) server, usage flushing and certificate renewal. */
public final class VerifierService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VerifierService.class);

    private final TokenIndex index = new TokenIndex();
    private final RecordIndexer indexer;
    private final UsageTracker usage = new UsageTracker();
    private final UsageFlusher flusher;
    private final VerifierServer server;
    private final SelfManagedTls selfManagedTls;
    private final VerifierSettings settings;
    private final AuditLog audit;
    private final IntrospectionClients introspectionClients;
    private final ServiceAccountCallers serviceAccountCallers;
    private final RevokedTokenUseReporter reuse;
    private final ProcessMetrics processMetrics;
    private final ScheduledExecutorService renewals = DaemonThreads.scheduler("kpat-tls-renewal");

    public VerifierService(KubernetesClient client, VerifierSettings settings, Clock clock) {
        this(client, settings, clock, AuditLog.toStdout());
    }

    public VerifierService(KubernetesClient client, VerifierSettings settings, Clock clock, AuditLog audit) {
        this.settings = settings;
        this.audit = audit;
        this.indexer = new RecordIndexer(client, index);
        this.flusher = new UsageFlusher(client, usage);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("kpat_verifier_index_records", index, TokenIndex::size)
                .description("TokenRecords in the verifier's index").register(registry);
        Gauge.builder("kpat_verifier_ready", indexer, i -> i.synced() ? 1 : 0)
                .description("Whether the verifier's index has synced, so it answers (1) or not yet (0)")
                .register(registry);
        this.processMetrics = ProcessMetrics.bindTo(registry);
        CallerSettings callers = settings.callers();
        if (callers.clientCaFile() != null && settings.tlsCertFile() == null && settings.selfManagedTlsSecret() == null) {
            throw new IllegalArgumentException("--client-ca-file needs HTTPS (--tls-cert or --tls-self-managed-secret)");
        }
        String clients = callers.introspectionClientsSecret();
        this.introspectionClients = clients == null ? null : new IntrospectionClients(client,
                clients.contains("/") ? clients.substring(0, clients.indexOf('/')) : namespaceOf(client),
                clients.contains("/") ? clients.substring(clients.indexOf('/') + 1) : clients);
        this.serviceAccountCallers = callers.introspectionServiceAccounts().isEmpty() ? null
                : new ServiceAccountCallers(client, callers.introspectionServiceAccounts(), clock);
        ApiServerCallers apiServer = callers.clientCaFile() != null
                ? ApiServerCallers.clientCertificates(callers.clientCertNames())
                : callers.allowUnauthenticatedWebhooks() ? ApiServerCallers.anyone() : ApiServerCallers.nobody();
        this.reuse = new RevokedTokenUseReporter(client, clock, registry, RevokedTokenUseReporter.DEFAULT_INTERVAL);
        this.server = new VerifierServer(new TokenVerifier(index, clock),
                usage, audit, new ClientAddress(settings.trustedProxies()),
                new FailureLimits(settings.failuresPerMinute(), settings.failureBurst(), clock), apiServer,
                new IntrospectionCallers(introspectionClients == null ? ClientCredentials.NONE : introspectionClients,
                        serviceAccountCallers), registry, indexer::synced, reuse, clock);
        String secret = settings.selfManagedTlsSecret();
        this.selfManagedTls = secret == null ? null : new SelfManagedTls(client,
                secret.contains("/") ? secret.substring(0, secret.indexOf('/')) : namespaceOf(client),
                secret.contains("/") ? secret.substring(secret.indexOf('/') + 1) : secret,
                settings.tlsDnsNames(), clock);
    }

    public VerifierService start() throws Exception {
        indexer.start();
        if (introspectionClients != null) {
            introspectionClients.start();
        }
        reuse.start();
        flusher.start(settings.usageFlushInterval());
        HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port());
        if (settings.tlsCertFile() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(settings.tlsCertFile().toString()).setKeyPath(settings.tlsKeyFile().toString()));
        } else if (selfManagedTls != null) {
            options.setSsl(true).setKeyCertOptions(pem(selfManaged()));
            renewals.scheduleWithFixedDelay(this::renewQuietly, 1, 1, TimeUnit.HOURS);
        }
        if (clientCa() != null) {
            // REQUEST, not REQUIRE: forward-auth and introspection callers have no certificate; the routes that
            // need one check it (ApiServerCallers), and a certificate the CA did not sign fails the handshake
            options.setClientAuth(ClientAuth.REQUEST).setTrustOptions(clientCa());
        }
        server.start(options, settings.httpPort(), settings.metricsPort());
        LOG.info("verifier listening on {}://{}:{} ({} event loops){}{}{}", options.isSsl() ? "https" : "http",
                settings.host(), server.port(), server.eventLoops(), server.httpPort() < 0 ? "" : ", forward-auth also on http port " + server.httpPort(),
                server.metricsPort() < 0 ? "" : ", metrics on port " + server.metricsPort(), clientCa() != null ? ", API-server-only routes for client certificates of "
                        + settings.callers().clientCaFile() : settings.callers().allowUnauthenticatedWebhooks()
                        ? ", API-server-only routes open to ANY caller (--allow-unauthenticated-webhook-callers)"
                        : ", API-server-only routes refused (no --client-ca-file)");
        return this;
    }

    public int port() {
        return server.port();
    }

    /** The plain-HTTP forward-auth port, or -1 when there is none. */
    public int httpPort() {
        return server.httpPort();
    }

    /** The metrics port, or -1 when metrics are served on the main port. */
    public int metricsPort() {
        return server.metricsPort();
    }

    public TokenIndex index() {
        return index;
    }

    public boolean ready() {
        return indexer.synced();
    }

    /** Writes usage now (tests and shutdown); normally it runs every flush interval. */
    public int flushUsage() {
        return flusher.flush();
    }

    private ServingCertificate selfManaged() throws IOException {
        ServingCertificate cert = selfManagedTls.ensure();
        if (settings.caBundleFile() != null) {
            Files.writeString(settings.caBundleFile(), cert.caPem());
        }
        LOG.info("serving a self-managed certificate valid until {}; webhook caBundle (base64): {}", cert.notAfter(),
                java.util.Base64.getEncoder().encodeToString(cert.caPem().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return cert;
    }

    private void renewQuietly() {
        try {
            ServingCertificate cert = selfManaged();
            // the new options replace the old ones whole: keep trusting the client CA
            server.httpServer().updateSSLOptions(new SSLOptions().setKeyCertOptions(pem(cert))
                    .setTrustOptions(clientCa()));
        } catch (Exception e) {
            LOG.warn("certificate renewal check failed: {}", e.getMessage());
        }
    }

    private PemTrustOptions clientCa() {
        Path ca = settings.callers().clientCaFile();
        return ca == null ? null : new PemTrustOptions().addCertPath(ca.toString());
    }

    private static PemKeyCertOptions pem(ServingCertificate cert) {
        return new PemKeyCertOptions().setCertValue(Buffer.buffer(cert.certChainPem()))
                .setKeyValue(Buffer.buffer(cert.keyPem()));
    }

    private static String namespaceOf(KubernetesClient client) {
        return client.getNamespace() == null ? "default" : client.getNamespace();
    }

    @Override
    public void close() {
        renewals.shutdownNow();
        server.close();
        processMetrics.close();
        if (introspectionClients != null) {
            introspectionClients.close();
        }
        if (serviceAccountCallers != null) {
            serviceAccountCallers.close();
        }
        audit.close();
        reuse.close();
        flusher.close();
        indexer.close();
    }
}
