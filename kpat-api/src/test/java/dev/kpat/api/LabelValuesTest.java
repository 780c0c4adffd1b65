package dev.kpat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LabelValuesTest {
    /** The API server's rule for label values (k8s.io/apimachinery validation.IsValidLabelValue). */
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private static void assertValid(String labelValue) {
        assertThat(labelValue.length()).as(labelValue).isLessThanOrEqualTo(63);
        assertThat(LABEL_VALUE.matcher(labelValue).matches()).as(labelValue).isTrue();
    }

    /** A DNS subdomain of exactly {@code length} characters, dotted every 20. */
    private static String name(String start, int length) {
        StringBuilder b = new StringBuilder(start);
        while (b.length() < length) {
            b.append(b.length() % 20 == 19 && b.length() < length - 1 ? '.' : 'a');
        }
        return b.toString();
    }

    @Test
    void shortNamesAreKeptAsTheyAre() {
        assertThat(LabelValues.of("ci")).isEqualTo("ci");
        assertThat(LabelValues.of("ci-deployer.team-a.example")).isEqualTo("ci-deployer.team-a.example");
        assertThat(LabelValues.of("")).isEmpty();
    }

    @Test
    void exactly63CharactersIsKept() {
        String n = name("x", 63);
        assertThat(n).hasSize(63);
        assertThat(LabelValues.of(n)).isEqualTo(n);
        assertThat(LabelValues.isValid(n)).isTrue();
    }

    @Test
    void longerNamesBecomeAValidPrefixAndHash() {
        String n64 = name("x", 64);
        assertThat(LabelValues.isValid(n64)).isFalse();
        String v = LabelValues.of(n64);
        assertValid(v);
        assertThat(v).matches("[a-z0-9.-]+-[0-9a-f]{12}").startsWith(n64.substring(0, 19));

        String n253 = name("token-for-a-very-long-name", 253);
        assertThat(n253).hasSize(253).contains(".");
        String v253 = LabelValues.of(n253);
        assertValid(v253);
        assertThat(v253).startsWith("token-for-a-very-long-name");
        assertThat(LabelValues.of(n253)).as("stable").isEqualTo(v253);
    }

    @Test
    void longNamesThatShareAPrefixStayDistinct() {
        String base = name("shared", 200);
        String a = LabelValues.of(base + "-a");
        String b = LabelValues.of(base + "-b");
        assertValid(a);
        assertValid(b);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.substring(0, 40)).isEqualTo(b.substring(0, 40));
    }

    @Test
    void aCutThatEndsOnADotOrDashIsTrimmed() {
        // the 50-character prefix would end with '.', which a label value cannot
        String n = "a".repeat(49) + "." + "b".repeat(30);
        String v = LabelValues.of(n);
        assertValid(v);
        assertThat(v).startsWith("a".repeat(49) + "-").doesNotContain(".-");
        assertValid(LabelValues.of("-".repeat(70)));
        assertValid(LabelValues.of("." + "b".repeat(70)));
    }

    @Test
    void anyStringBecomesAValidLabelValue() {
        for (String s : new String[] {"system:serviceaccount:ci:deployer", "Ünïcode name", "a b", "-leading",
                "trailing-", "x".repeat(1000), ":::"}) {
            assertValid(LabelValues.of(s));
        }
        assertThat(LabelValues.of("system:serviceaccount:ci:deployer"))
                .isNotEqualTo(LabelValues.of("system-serviceaccount-ci-deployer"));
    }
}
