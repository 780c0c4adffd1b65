package dev.kpat.verify.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short keyed fingerprint of a presented value (HMAC-SHA256 with a per-process random key, first 64 bits), so
 * repeated failures of one value can be counted without keeping the value or a hash anyone could check guesses
 * against; the key also keeps an attacker from choosing values that collide.
 */
public final class TokenFingerprints {
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public TokenFingerprints() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    public long of(String value) {
        byte[] h = macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
        long l = 0;
        for (int i = 0; i < 8; i++) {
            l = (l << 8) | (h[i] & 0xff);
        }
        return l;
    }
}
