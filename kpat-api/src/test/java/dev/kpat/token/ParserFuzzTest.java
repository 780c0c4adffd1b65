package dev.kpat.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated inputs against every parser that sees user or network input: each either accepts or rejects
 * with IllegalArgumentException, never anything else. Seeded, so a failure reproduces.
 */
class ParserFuzzTest {
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:*.-µ é\u0000\uFFFF";
    private final Random random = new Random(20261124);

    private String randomText(int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Test
    void tokenFormatNeverThrowsAndAcceptsOnlyValidTokens() {
        TokenFormat format = new TokenFormat("kpat_", new SecureRandom());
        String valid = format.generate().reveal();
        for (int i = 0; i < 100_000; i++) {
            String input = i % 2 == 0 ? randomText(60) : mutate(valid);
            boolean ok = format.isWellFormed(input);
            TokenFormat.isWellFormedAnyPrefix(input);
            if (ok) {
                // a mutation that still passes must be a real token of the format (CRC32 collisions are ~2^-32)
                assertThat(input).hasSize(valid.length()).startsWith("kpat_");
            }
        }
    }

    @Test
    void durationAndScopeParsersRejectCleanly() {
        for (int i = 0; i < 100_000; i++) {
            String input = random.nextBoolean() ? randomText(12) : random.nextInt(1000) + randomText(3);
            try {
                assertThat(Durations.parse(input).isNegative()).isFalse();
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).contains("duration");
            }
            try {
                Scope.parse(input);
                assertThat(Scope.isValid(input)).isTrue();
            } catch (IllegalArgumentException expected) {
                assertThat(Scope.isValid(input)).isFalse();
            }
            assertThat(TokenHash.parse(input)).isNull();
        }
    }

    private String mutate(String token) {
        StringBuilder sb = new StringBuilder(token);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int pos = random.nextInt(sb.length());
            switch (random.nextInt(3)) {
                case 0 -> sb.setCharAt(pos, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> sb.deleteCharAt(pos);
                default -> sb.insert(pos, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            if (sb.length() == 0) {
                sb.append('x');
            }
        }
        return sb.toString();
    }
}
