package dev.kpat.operator;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.vertx.core.Context;
import java.time.Duration;

/**
 * The operator's client-side limit on requests to the API server, as client-go's {@code --kube-api-qps} and
 * {@code --kube-api-burst}: a token bucket (bucket4j) every request takes one token from before it is sent, waiting
 * when the bucket is empty. Lease requests are exempt: a renewal queued behind a rotation storm would cost the
 * leadership. A request on a Vert.x event loop (never one the operator makes itself) is counted but never waits,
 * since blocking the loop would stall every connection.
 */
public final class ApiRequestRateLimit implements Interceptor {
    /** The name the interceptor is registered under in the client. */
    public static final String NAME = "kpat-api-rate-limit";
    private static final String LEASES = "/apis/coordination.k8s.io/";

    private final Bucket bucket;

    /**
     * @param qps   requests per second on average, refilled greedily
     * @param burst requests that may go at once after a quiet spell (at least 1)
     */
    public ApiRequestRateLimit(double qps, int burst) {
        if (!(qps > 0) || burst < 1) {
            throw new IllegalArgumentException("the request rate must be positive and the burst at least 1");
        }
        // bucket4j refills whole tokens: a fractional rate becomes tokens per longer period
        long perThousandSeconds = Math.max(1, Math.round(qps * 1000));
        this.bucket = Bucket.builder().addLimit(Bandwidth.builder().capacity(burst)
                .refillGreedy(perThousandSeconds, Duration.ofSeconds(1000)).build()).build();
    }

    /** The builder with the limit installed; {@code qps} 0 leaves it unlimited. */
    public static KubernetesClientBuilder install(KubernetesClientBuilder builder, double qps, int burst) {
        if (qps == 0) {
            return builder;
        }
        ApiRequestRateLimit limit = new ApiRequestRateLimit(qps, burst);
        return builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(NAME, limit));
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (request.uri().getPath().startsWith(LEASES)) {
            return;
        }
        if (Context.isOnEventLoopThread()) {
            bucket.tryConsume(1);
            return;
        }
        try {
            bucket.asBlocking().consume(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while waiting for the client-side request rate limit");
        }
    }
}
