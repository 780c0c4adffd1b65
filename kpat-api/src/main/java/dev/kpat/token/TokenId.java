package dev.kpat.token;

import java.security.SecureRandom;

/** Token ids: {@code tok-} plus 20 lowercase base32 characters (100 random bits), a valid Kubernetes name. */
public final class TokenId {
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int LENGTH = 20;

    private final SecureRandom random;

    public TokenId(SecureRandom random) {
        this.random = random;
    }

    public String next() {
        StringBuilder sb = new StringBuilder("tok-");
        for (int i = 0; i < LENGTH; i++) {
            sb.append(BASE32.charAt(random.nextInt(32)));
        }
        return sb.toString();
    }

    public static boolean isValid(String id) {
        return id != null && id.matches("tok-[a-z2-7]{20}");
    }
}
