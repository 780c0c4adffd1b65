package dev.kpat.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import dev.kpat.api.TokenRef;
import dev.kpat.authz.AccessRequest;
import dev.kpat.authz.ScopeAuthorizer;
import dev.kpat.verify.Outcome;
import dev.kpat.verify.TokenIndex;
import dev.kpat.verify.TokenVerifier;
import dev.kpat.verify.Verification;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzz targets for the parsers that see user and network input: token values (format, checksum, hint, hash,
 * the verifier's decision), durations, and scopes with the authorization webhook's scope check. Property: each input
 * is accepted or refused with the documented IllegalArgumentException, never anything else, and what is accepted
 * is consistent. Without JAZZER_FUZZ the committed inputs in {@code TokenParsersFuzzTestInputs/<method>/} run as
 * regression tests; {@code JAZZER_FUZZ=1} fuzzes (see RELIABILITY.md).
 */
class TokenParsersFuzzTest {
    private static final TokenFormat FORMAT = new TokenFormat("kpat_");
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final String ACTIVE = FORMAT.generate().reveal();
    private static final TokenVerifier VERIFIER = verifierKnowing(ACTIVE);

    /**
     * Any text as a token. A first byte 0x01 turns the rest into a body with a correct checksum, so the fuzzer
     * reaches the lookup with well-formed values it could not guess a CRC for.
     */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"kpat_", "ghp_", "_", "0123456789ABCDEFGHIJKLMNOPQRSTUV"})
    void tokenValues(byte[] data) {
        String text = data.length > 0 && data[0] == 1
                ? withChecksum(new String(data, 1, data.length - 1, StandardCharsets.UTF_8))
                : new String(data, StandardCharsets.UTF_8);
        boolean ours = FORMAT.isWellFormed(text);
        boolean any = TokenFormat.isWellFormedAnyPrefix(text);
        if (ours) {
            assertThat(any).isTrue();
        }
        if (any) {
            int underscore = text.indexOf('_');
            assertThat(text).hasSize(underscore + 1 + TokenFormat.RANDOM_LENGTH + TokenFormat.CHECKSUM_LENGTH);
            assertThat(text.chars().allMatch(c -> c < 128)).isTrue();
            // a hint shows the prefix and four characters, never the random part
            String hint = TokenHint.of(text);
            assertThat(hint).isEqualTo(text.substring(0, underscore + 1) + "…" + text.substring(text.length() - 4));
            assertThat(TokenValue.of(text).toString()).doesNotContain(
                    text.substring(underscore + 1, underscore + 1 + TokenFormat.RANDOM_LENGTH));
        } else {
            assertThat(TokenHint.of(text).length()).isLessThanOrEqualTo(16);
        }
        if (text.isEmpty()) {
            assertThatThrownBy(() -> TokenValue.of(text)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(TokenHash.of(text)).startsWith(TokenHash.ALGORITHM_PREFIX).hasSize(71);
        byte[] parsed = TokenHash.parse(text);
        if (parsed != null) {
            assertThat(text).matches("sha256:[0-9a-fA-F]{64}");
        }

        Verification v = VERIFIER.verify(text, List.of());
        assertThat(v.outcome() == Outcome.MALFORMED).isEqualTo(!any);
        assertThat(v.outcome() == Outcome.ACTIVE).isEqualTo(text.equals(ACTIVE));
    }

    /** Any text as a duration: a non-negative Duration that formats and parses back, or "... is not a duration". */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"ns", "us", "µs", "ms", "s", "m", "h", "d", ".", "9223372036854775807"})
    void durations(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).matches("(?s)'.*' is (not a|too long a) duration.*");
            return;
        }
        assertThat(d.isNegative()).isFalse();
        assertThat(text).matches(Durations.PATTERN);
        // format is for messages: whole milliseconds (or less than one) survive it exactly
        if (d.toNanos() % 1_000_000 == 0 || d.toMillis() == 0) {
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
    }

    /**
     * Lines of text as a token's scopes and a Kubernetes request: {@code Scope.parse} agrees with
     * {@code Scope.isValid}, a ScopeSet keeps exactly the valid lines, and the authorization webhook's check never
     * throws, allows everything to {@code *} and never takes access away when a scope is added.
     */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"*", "read", "write", "admin", ":", "pods", ".apps", "/log", "get", "create"})
    void scopes(byte[] data) {
        List<String> lines = Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\n", -1));
        for (String line : lines) {
            boolean valid = Scope.isValid(line);
            try {
                Scope s = Scope.parse(line);
                assertThat(valid).isTrue();
                assertThat(s.toString()).isEqualTo(line);
                assertThat(Scope.parse(s.toString())).isEqualTo(s);
            } catch (IllegalArgumentException refused) {
                assertThat(valid).isFalse();
                assertThat(refused.getMessage()).startsWith("scope '");
            }
        }
        ScopeSet set = ScopeSet.of(lines);
        assertThat(set.scopes()).hasSize((int) lines.stream().filter(Scope::isValid).count());
        assertThat(set.toSpaceSeparated()).isEqualTo(String.join(" ", lines.stream().filter(Scope::isValid).toList()));

        // the last four lines, if any, are the request: verb, group, resource (or a URL path), subresource
        String verb = line(lines, 1);
        AccessRequest request = line(lines, 3).startsWith("/")
                ? AccessRequest.nonResource(verb, line(lines, 3))
                : AccessRequest.resource(verb, line(lines, 2), line(lines, 3), line(lines, 4));
        String denial = ScopeAuthorizer.denial(set, request);
        assertThat(ScopeAuthorizer.denial(ScopeSet.of(List.of("*")), request)).isNull();
        assertThat(ScopeAuthorizer.denial(ScopeSet.of(concat(lines, "admin")), request)).isNull();
        if (denial == null) {
            assertThat(ScopeAuthorizer.denial(ScopeSet.of(concat(lines, "read")), request)).isNull();
        } else {
            assertThat(denial).startsWith("token scopes [");
        }
    }

    private static String line(List<String> lines, int fromEnd) {
        return lines.size() >= fromEnd ? lines.get(lines.size() - fromEnd) : "";
    }

    private static List<String> concat(List<String> lines, String extra) {
        return java.util.stream.Stream.concat(lines.stream(), java.util.stream.Stream.of(extra)).toList();
    }

    private static String withChecksum(String body) {
        return FORMAT.prefix() + body + TokenFormat.checksum(FORMAT.prefix() + body);
    }

    private static TokenVerifier verifierKnowing(String value) {
        TokenRecord record = new TokenRecord();
        record.setMetadata(new ObjectMetaBuilder().withName("tok-fuzz").build());
        TokenRecordSpec spec = new TokenRecordSpec();
        spec.setHash(TokenHash.of(value));
        spec.setTokenRef(new TokenRef("team-a", "fuzz", "uid-1"));
        spec.setOwner("alice");
        spec.setScopes(List.of("read"));
        spec.setIssuedAt(NOW.toString());
        spec.setExpiresAt(NOW.plus(Duration.ofDays(1)).toString());
        record.setSpec(spec);
        TokenIndex index = new TokenIndex();
        index.upsert(record);
        return new TokenVerifier(index, Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
