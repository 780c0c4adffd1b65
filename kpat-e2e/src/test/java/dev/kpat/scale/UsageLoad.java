package dev.kpat.scale;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Users presenting every token, over and over, to a verifier's forward-auth endpoint, so the verifier has usage of
 * all of them to flush at each interval. The values stay in memory here; only counts come out.
 */
final class UsageLoad implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService users;
    private final AtomicLong allowed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private volatile boolean running = true;

    /** Starts {@code threads} users, each going round its share of {@code values}. */
    UsageLoad(URI auth, List<String> values, int threads) {
        users = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            List<String> share = values.subList(values.size() * t / threads, values.size() * (t + 1) / threads);
            users.submit(() -> {
                while (running) {
                    for (String value : share) {
                        if (!running) {
                            return null;
                        }
                        HttpRequest request = HttpRequest.newBuilder(auth).timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + value).GET().build();
                        try {
                            int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            (code == 200 ? allowed : refused).incrementAndGet();
                        } catch (java.io.IOException e) {
                            refused.incrementAndGet();
                        }
                    }
                    passes.incrementAndGet();
                }
                return null;
            });
        }
    }

    long allowed() {
        return allowed.get();
    }

    long refused() {
        return refused.get();
    }

    /** Rounds over every token, summed over users. */
    long passes() {
        return passes.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        users.shutdown();
        users.awaitTermination(30, TimeUnit.SECONDS);
    }
}
