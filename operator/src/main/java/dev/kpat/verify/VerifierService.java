package dev.kpat.verify;

import dev.kpat.verify.http.ClientAddress;
import dev.kpat.verify.http.FailureRateLimiter;
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
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import java.io.IOException;
import java.nio.file.Files;
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
    private final RevokedTokenUseReporter reuse;
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
        this.reuse = new RevokedTokenUseReporter(client, clock, registry, RevokedTokenUseReporter.DEFAULT_INTERVAL);
        this.server = new VerifierServer(new TokenVerifier(index, clock),
                usage, audit, new ClientAddress(settings.trustedProxies()),
                new FailureRateLimiter(settings.failuresPerMinute(), settings.failureBurst()), registry,
                indexer::synced, reuse, clock);
        String secret = settings.selfManagedTlsSecret();
        this.selfManagedTls = secret == null ? null : new SelfManagedTls(client,
                secret.contains("/") ? secret.substring(0, secret.indexOf('/')) : namespaceOf(client),
                secret.contains("/") ? secret.substring(secret.indexOf('/') + 1) : secret,
                settings.tlsDnsNames(), clock);
    }

    public VerifierService start() throws Exception {
        indexer.start();
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
        server.start(options);
        LOG.info("verifier listening on {}://{}:{}", options.isSsl() ? "https" : "http", settings.host(),
                server.port());
        return this;
    }

    public int port() {
        return server.port();
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
            server.httpServer().updateSSLOptions(new SSLOptions().setKeyCertOptions(pem(cert)));
        } catch (Exception e) {
            LOG.warn("certificate renewal check failed: {}", e.getMessage());
        }
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
        audit.close();
        reuse.close();
        flusher.close();
        indexer.close();
    }
}
