package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.metrics.TokenMetrics;
import dev.kpat.testing.RealCluster;
import dev.kpat.token.TokenHash;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.Interceptor.RequestTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reconcile that keeps a token's value reads nothing from the API when the caches agree with status; one after the
 * Secret was tampered with still reads it, and replaces the value.
 */
@ExtendWith({RealCluster.class, ChartOperator.class})
class CachedKeepOnRealServerTest {
    private final RequestLog requests = new RequestLog();
    private final TokenMetrics metrics = new TokenMetrics(new SimpleMeterRegistry());
    private KubernetesClient operatorClient;
    private OperatorHarness h;

    @BeforeEach
    void start(RealServerOperator chart, LocalControlPlane plane) {
        operatorClient = new KubernetesClientBuilder().withConfig(chart.operatorClient().getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("log", requests)).build();
        h = OperatorHarness.onRealServer(plane, operatorClient, "cached").start(OperatorSettings.defaults(), metrics);
    }

    @AfterEach
    void stop() {
        h.close();
        operatorClient.close();
    }

    @Test
    void keepingAValueReadsNothingButATamperedSecretIsStillReadAndReplaced() throws Exception {
        h.create("kept", s -> s.setTtl("30d"));
        String first = h.awaitPat("kept", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        // past the operator's second look after its status write
        Thread.sleep(StatusWrites.RECHECK.toMillis() + 1000);

        requests.clear();
        double done = succeeded();
        h.poke("kept");
        await().atMost(Duration.ofSeconds(15)).until(() -> succeeded() > done);
        assertThat(requests.reads()).as("reads of the Secret or a record by a reconcile that keeps the value")
                .isEmpty();

        requests.clear();
        h.client.secrets().inNamespace(h.ns).withName("kept").edit(s -> {
            s.setData(Map.of("token", Base64.getEncoder().encodeToString("edited".getBytes(StandardCharsets.UTF_8))));
            return s;
        });
        var pat = h.awaitPat("kept", p -> p.getStatus().getRevision() == 2L);
        assertThat(h.record(first).getSpec().getRevocationReason()).isEqualTo("SecretTampered");
        assertThat(h.record(pat.getStatus().getTokenId()).getSpec().getHash())
                .isEqualTo(TokenHash.of(h.valueIn("kept")));
        assertThat(requests.reads()).as("the tampered Secret is read from the API").contains("GET secrets/kept");
    }

    private double succeeded() {
        Counter c = metrics.registry().find("reconciliations.success.total")
                .tag("controller.name", "personalaccesstoken").counter();
        return c == null ? 0 : c.count();
    }

    /** The operator's reads of single Secrets and records ({@code GET secrets/<name>}). */
    private static final class RequestLog implements Interceptor {
        private final List<String> reads = new CopyOnWriteArrayList<>();

        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            String path = request.uri().getPath();
            for (String kind : List.of("/secrets/", "/tokenrecords/")) {
                int at = path.indexOf(kind);
                if ("GET".equals(request.method()) && at >= 0 && request.uri().getQuery() == null) {
                    reads.add("GET " + path.substring(at + 1));
                }
            }
        }

        List<String> reads() {
            return List.copyOf(reads);
        }

        void clear() {
            reads.clear();
        }
    }
}
