package dev.kpat.verify.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kpat.token.Scope;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jazzer fuzz targets for the verifier's header parsers: HTTP Basic client credentials, forward-auth's required
 * scopes, and the IP literals of X-Forwarded-For and failure-limit keys. Property: no exception, and what is
 * accepted is consistent. Committed inputs run as regression tests; {@code JAZZER_FUZZ=1} fuzzes (RELIABILITY.md).
 */
class HeaderParsersFuzzTest {
    /** Any Authorization header value; a Basic one parses to id and secret that encode back to it. */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"Basic ", "basic ", "Bearer ", ":", "%", "%3A", "="})
    void basicCredentials(byte[] data) {
        String header = new String(data, StandardCharsets.UTF_8);
        BasicCredentials parsed = BasicCredentials.parse(header);
        if (parsed == null) {
            return;
        }
        assertThat(header.regionMatches(true, 0, "Basic ", 0, 6)).isTrue();
        assertThat(parsed.id()).isNotEmpty().doesNotContain(":");
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo(parsed.id() + ":" + parsed.secret());
        BasicCredentials form = parsed.formDecoded();
        if (form != null) {
            assertThat(form).isNotEqualTo(parsed);
        }
    }

    /** Any ?scope= value: null, or valid scopes only, the same on every call (the cache agrees with parsing). */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"*", "read", "write:pods", "admin:tokens", " ", ":", ".", "/"})
    void requiredScopes(byte[] data) {
        String value = new String(data, StandardCharsets.UTF_8);
        RequiredScopes scopes = new RequiredScopes();
        List<Scope> first = scopes.parse(value);
        assertThat(scopes.parse(value)).isEqualTo(first);
        boolean allValid = java.util.Arrays.stream(value.split(" ")).filter(s -> !s.isEmpty())
                .allMatch(Scope::isValid);
        assertThat(first != null).isEqualTo(allValid);
    }

    /**
     * Any X-Forwarded-For entry: an IP literal or null, never a name lookup (the DNS query on the event loop this
     * replaced); failure-limit keys are derived without one too.
     */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"::", ":", ".", "[", "]", "%", "ffff", "127.0.0.1", "0x", "dead.beef"})
    void ipLiterals(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        var ip = IpLiterals.parse(text);
        if (ip != null) {
            int zone = text.indexOf('%');
            assertThat(zone < 0 ? text : text.substring(0, zone)).matches("[0-9a-fA-F:.\\[\\]]+");
        }
        assertThat(FailureLimits.addressKey(text)).startsWith("ip:");
    }

    @Test
    void hostNamesAndAmbiguousNumbersAreNotAddresses() {
        // each of these made InetAddress.getByName query DNS (or read "1" as 0.0.0.1)
        for (String notLiteral : List.of("dead.beef", "abc.def", "1.2.3.4.5", "1", "0x7f.1", "1.2.3.256", "[]", "",
                "localhost", "evil.example:80")) {
            assertThat(IpLiterals.parse(notLiteral)).as(notLiteral).isNull();
        }
        assertThat(IpLiterals.parse("203.0.113.7").getHostAddress()).isEqualTo("203.0.113.7");
        assertThat(IpLiterals.parse("[2001:db8::1]").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(IpLiterals.parse("::ffff:1.2.3.4")).isNotNull();
        assertThat(FailureLimits.addressKey("2001:db8:1:2:aaaa::1")).isEqualTo("ip:2001:db8:1:2::/64");
    }
}
