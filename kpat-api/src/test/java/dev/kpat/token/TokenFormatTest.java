package dev.kpat.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenFormatTest {
    private final TokenFormat format = new TokenFormat("kpat_", new SecureRandom());

    @Test
    void generatedTokensHavePrefixLengthAlphabetAndValidChecksum() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = format.generate().reveal();
            assertThat(t).startsWith("kpat_").hasSize(5 + 32 + 6).matches("kpat_[0-9A-Za-z]{38}");
            assertThat(format.isWellFormed(t)).isTrue();
            assertThat(TokenFormat.isWellFormedAnyPrefix(t)).isTrue();
            seen.add(t);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void checksumMatchesAnIndependentImplementation() {
        // expected values computed with Python's zlib.crc32 and the documented base62 alphabet
        assertThat(TokenFormat.checksum("kpat_" + "A".repeat(32))).isEqualTo("23TDGF");
        assertThat(TokenFormat.checksum("kpat_0123456789abcdefghijABCDEFGHIJ01")).isEqualTo("2YVlu9");
        assertThat(format.isWellFormed("kpat_" + "A".repeat(32) + "23TDGF")).isTrue();
    }

    @Test
    void everySingleCharacterChangeIsRejected() {
        String t = format.generate().reveal();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            char other = c == 'x' ? 'y' : 'x';
            String mutated = t.substring(0, i) + other + t.substring(i + 1);
            assertThat(format.isWellFormed(mutated)).as("mutation at %d", i).isFalse();
        }
    }

    @Test
    void malformedInputsAreRejected() {
        String t = format.generate().reveal();
        assertThat(format.isWellFormed(null)).isFalse();
        assertThat(format.isWellFormed("")).isFalse();
        assertThat(format.isWellFormed(t.substring(0, t.length() - 1))).isFalse();
        assertThat(format.isWellFormed(t + "0")).isFalse();
        assertThat(format.isWellFormed("ghp_" + t.substring(5))).isFalse();
        assertThat(format.isWellFormed(t.replace(t.charAt(10), '-'))).isFalse();
        assertThat(TokenFormat.isWellFormedAnyPrefix("nounderscore" + "A".repeat(38))).isFalse();
        String body = t.substring(5);
        assertThat(TokenFormat.isWellFormedAnyPrefix("Kpat_" + body)).as("uppercase prefix").isFalse();
        assertThat(TokenFormat.isWellFormedAnyPrefix("k_" + body)).as("one-letter prefix").isFalse();
        assertThat(TokenFormat.isWellFormedAnyPrefix("1pat_" + body)).as("prefix starts with a digit").isFalse();
    }

    @Test
    void customPrefixIsSupportedAndValidated() {
        TokenFormat custom = new TokenFormat("acme_");
        String t = custom.generate().reveal();
        assertThat(custom.isWellFormed(t)).isTrue();
        assertThat(format.isWellFormed(t)).isFalse();
        assertThat(TokenFormat.isWellFormedAnyPrefix(t)).isTrue();
        assertThatThrownBy(() -> new TokenFormat("Bad-"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token prefix must match");
    }

    @Test
    void valueNeverShowsInToStringOnlyItsHint() {
        TokenValue v = format.generate();
        String raw = v.reveal();
        assertThat(v.toString()).doesNotContain(raw.substring(5, 37)).contains("kpat_…" + raw.substring(raw.length() - 4));
        assertThat(v.hint()).isEqualTo("kpat_…" + raw.substring(raw.length() - 4));
    }

    @Test
    void hashIsSha256HexOfTheWholeString() {
        // sha256("abc")
        assertThat(TokenHash.of("abc"))
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(TokenHash.parse(TokenHash.of("abc"))).hasSize(32);
        assertThat(TokenHash.parse("md5:abc")).isNull();
        assertThat(TokenHash.matches(TokenHash.of("a"), TokenHash.of("a"))).isTrue();
        assertThat(TokenHash.matches(TokenHash.of("a"), TokenHash.of("b"))).isFalse();
    }

    @Test
    void tokenIdsAreValidKubernetesNames() {
        TokenId ids = new TokenId(new SecureRandom());
        for (int i = 0; i < 100; i++) {
            String id = ids.next();
            assertThat(id).matches("tok-[a-z2-7]{20}");
            assertThat(TokenId.isValid(id)).isTrue();
        }
        assertThat(TokenId.isValid("tok-UPPER")).isFalse();
    }

    @Test
    void base62EncodesFixedWidth() {
        assertThat(Base62.encode(0, 6)).isEqualTo("000000");
        assertThat(Base62.encode(61, 2)).isEqualTo("0z");
        assertThat(Base62.encode(62, 2)).isEqualTo("10");
        assertThat(Base62.encode(0xFFFFFFFFL, 6)).isEqualTo("4gfFC3");
        assertThatThrownBy(() -> Base62.encode(62 * 62, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
