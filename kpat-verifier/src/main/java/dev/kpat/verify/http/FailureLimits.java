package dev.kpat.verify.http;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.time.Clock;

/**
 * Limits failed attempts, counted only after a token was decided, so a valid token is never throttled, however many
 * failures surround it. Failures count per presented value (its {@link TokenFingerprints fingerprint}: a dead token
 * retried by a broken client, or replayed from many places) and per client (an address, IPv6 by its /64, or an
 * authenticated client id). Trusted callers that relay other people's tokens (the API server, authenticated by its
 * client certificate) pass no client key: their failures count per value only, so junk sent through them cannot use
 * up a budget that everyone behind them shares.
 */
public final class FailureLimits {
    static final int MAX_KEYS = 100_000;

    private final BoundedBuckets<Long> byValue;
    private final BoundedBuckets<String> byClient;

    public FailureLimits(long perMinute, long burst, Clock clock) {
        this(perMinute, burst, MAX_KEYS, clock);
    }

    FailureLimits(long perMinute, long burst, int maxKeys, Clock clock) {
        if (perMinute <= 0 || burst <= 0) {
            throw new IllegalArgumentException("failure rate limit and burst must be positive");
        }
        this.byValue = new BoundedBuckets<>(perMinute, burst, maxKeys, clock);
        this.byClient = new BoundedBuckets<>(perMinute, burst, maxKeys, clock);
    }

    /**
     * Counts a failed decision of a value; true when the value or the client is over its limit.
     *
     * @param client the client's key, or null for a trusted caller
     */
    public boolean failed(long fingerprint, String client) {
        boolean valueOver = !byValue.consume(fingerprint);
        boolean clientOver = client != null && !byClient.consume(client);
        return valueOver || clientOver;
    }

    /** Counts a failure without a value (bad input, wrong client credentials); true when the client is over. */
    public boolean failed(String client) {
        return client != null && !byClient.consume(client);
    }

    /** Whether the client has no failures left now (checked before work that costs a remote call). */
    public boolean exhausted(String client) {
        return client != null && byClient.exhausted(client);
    }

    int trackedKeys() {
        return byValue.size() + byClient.size();
    }

    /** The key an address is limited by: IPv4 as is, IPv6 by its /64 (one host usually owns a whole /64). */
    public static String addressKey(String address) {
        InetAddress ip = address.indexOf(':') < 0 ? null : IpLiterals.parse(address);
        if (ip == null) {
            return "ip:" + address; // IPv4, or not an IP literal at all: never a DNS lookup
        }
        byte[] bytes = ip.getAddress();
        if (bytes.length == 16) {
            for (int i = 8; i < 16; i++) {
                bytes[i] = 0;
            }
            return "ip:" + NetUtil.bytesToIpAddress(bytes) + "/64";
        }
        return "ip:" + ip.getHostAddress();
    }
}
