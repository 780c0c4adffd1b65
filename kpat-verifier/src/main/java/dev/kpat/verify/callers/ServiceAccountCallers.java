package dev.kpat.verify.callers;

import dev.kpat.verify.http.BearerCallers;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Introspection callers that present their own ServiceAccount token: checked with the API server's TokenReview and
 * admitted when the ServiceAccount is on the allow-list ({@code namespace:name}). Answers, yes or no, are kept for
 * {@link #TTL} under the token's SHA-256 (never the token), in a bounded cache, so a busy caller costs one review per
 * TTL and a repeated bad token costs one too.
 */
public final class ServiceAccountCallers implements BearerCallers, AutoCloseable {
    static final Duration TTL = Duration.ofSeconds(10);
    private static final int MAX_CACHED = 10_000;
    private static final String PREFIX = "system:serviceaccount:";
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountCallers.class);

    private record Answer(String caller, long until) {
    }

    private final KubernetesClient client;
    private final Set<String> allowed;
    private final Clock clock;
    private final ConcurrentHashMap<String, Answer> cache = new ConcurrentHashMap<>();
    private final ExecutorService reviews = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "kpat-caller-tokenreview");
        t.setDaemon(true);
        return t;
    });

    /** @param allowed ServiceAccounts as {@code namespace:name} */
    public ServiceAccountCallers(KubernetesClient client, List<String> allowed, Clock clock) {
        for (String a : allowed) {
            if (a.split(":", -1).length != 2 || a.startsWith(":") || a.endsWith(":")) {
                throw new IllegalArgumentException("introspection ServiceAccount '" + a + "' is not namespace:name");
            }
        }
        this.client = client;
        this.allowed = Set.copyOf(allowed);
        this.clock = clock;
    }

    @Override
    public CompletionStage<String> callerFor(String bearerToken) {
        String key = sha256(bearerToken);
        long now = clock.millis();
        Answer cached = cache.get(key);
        if (cached != null && cached.until() > now) {
            return CompletableFuture.completedFuture(cached.caller());
        }
        return CompletableFuture.supplyAsync(() -> review(bearerToken), reviews).thenApply(caller -> {
            if (cache.size() >= MAX_CACHED) {
                cache.values().removeIf(a -> a.until() <= clock.millis());
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
            }
            cache.put(key, new Answer(caller, clock.millis() + TTL.toMillis()));
            return caller;
        });
    }

    /** The allowed ServiceAccount the token authenticates, or null; an API error counts as no (and is not cached). */
    private String review(String bearerToken) {
        TokenReview review;
        try {
            review = client.resource(new TokenReviewBuilder().withNewSpec().withToken(bearerToken).endSpec().build())
                    .create();
        } catch (RuntimeException e) {
            LOG.warn("TokenReview for an introspection caller failed: {}", e.getClass().getSimpleName());
            throw e;
        }
        if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())
                || review.getStatus().getUser() == null) {
            return null;
        }
        String username = review.getStatus().getUser().getUsername();
        if (username == null || !username.startsWith(PREFIX)) {
            return null;
        }
        String sa = username.substring(PREFIX.length());
        return allowed.contains(sa) ? "serviceaccount:" + sa : null;
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public void close() {
        reviews.shutdownNow();
    }
}
