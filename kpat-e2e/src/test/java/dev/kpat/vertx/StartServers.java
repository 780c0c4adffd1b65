package dev.kpat.vertx;

import dev.kpat.metrics.MetricsServer;
import dev.kpat.verify.AuditLog;
import dev.kpat.verify.TokenIndex;
import dev.kpat.verify.TokenVerifier;
import dev.kpat.verify.http.ClientAddress;
import dev.kpat.verify.http.ApiServerCallers;
import dev.kpat.verify.http.FailureLimits;
import dev.kpat.verify.http.IntrospectionCallers;
import dev.kpat.verify.http.VerifierServer;
import dev.kpat.verify.usage.UsageTracker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Run in a JVM of its own by {@link VertxFactoryTest}: starts the operator's metrics server and the verifier's HTTP
 * server, calls both, and prints what {@code java.io.tmpdir} holds while they run. With the argument
 * {@code default} it starts a Vert.x with default options instead, to show what the test would catch.
 */
public final class StartServers {
    private StartServers() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("default")) {
            Vertx vertx = Vertx.vertx();
            vertx.fileSystem().existsBlocking("kpat/examples"); // resolves through the file cache
            System.out.println("tmp: " + tmpEntries());
            vertx.close().toCompletionStage().toCompletableFuture().join();
            System.exit(0);
        }
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsServer metrics = MetricsServer.start(registry, 0);
        VerifierServer verifier = new VerifierServer(new TokenVerifier(new TokenIndex(), Clock.systemUTC()),
                new UsageTracker(), AuditLog.to(java.io.OutputStream.nullOutputStream()),
                new ClientAddress(List.of()), new FailureLimits(60, 5, java.time.Clock.systemUTC()),
                ApiServerCallers.anyone(), IntrospectionCallers.none(), registry, () -> true, Clock.systemUTC())
                .start(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        HttpClient http = HttpClient.newHttpClient();
        for (int port : new int[] {metrics.port(), verifier.port()}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println("healthz " + r.statusCode());
        }
        System.out.println("tmp: " + tmpEntries());
        verifier.close();
        metrics.close();
        System.exit(0);
    }

    private static List<String> tmpEntries() {
        String[] names = new File(System.getProperty("java.io.tmpdir")).list();
        return names == null ? List.of() : Arrays.stream(names).sorted().toList();
    }
}
