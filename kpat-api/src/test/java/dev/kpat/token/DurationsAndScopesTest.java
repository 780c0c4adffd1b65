package dev.kpat.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsAndScopesTest {

    @ParameterizedTest
    @CsvSource({"720h,PT720H", "90m,PT90M", "30d,PT720H", "1h30m,PT1H30M", "1.5h,PT1H30M", "10s,PT10S",
            "250ms,PT0.25S", "1d12h,PT36H"})
    void parsesGoDurationsPlusDays(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "d", "-1h", "1w", "1h 30m", "never", "1.h"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration");
    }

    @Test
    void formatsInLargestUnits() {
        assertThat(Durations.format(Duration.ofDays(90))).isEqualTo("90d");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "read", "write:tasks", "admin:tokens", "a-b:c-d", "r2:d2", "read:pods/log",
            "write:deployments.apps", "admin:roles.rbac.authorization.k8s.io", "write:deployments.apps/scale"})
    void validScopes(String s) {
        assertThat(Scope.isValid(s)).isTrue();
        assertThat(Scope.parse(s).toString()).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Read", "read:", ":tasks", "read:tasks:x", "read tasks", "*:tasks", "read:*", "rëad",
            "read:pods/", "read:.apps", "read:pods.", "read:pods/log/x", "read/x", "read.apps", "read:Pods"})
    void invalidScopes(String s) {
        assertThat(Scope.isValid(s)).isFalse();
        assertThatThrownBy(() -> Scope.parse(s)).hasMessageContaining("is not '*', 'action' or 'action:resource'");
    }

    @Test
    void scopeMatchingFollowsTheGrammar() {
        Scope required = Scope.parse("write:tasks");
        assertThat(Scope.parse("*").grants(required)).isTrue();
        assertThat(Scope.parse("write").grants(required)).isTrue();
        assertThat(Scope.parse("write:tasks").grants(required)).isTrue();
        assertThat(Scope.parse("write:users").grants(required)).isFalse();
        assertThat(Scope.parse("read").grants(required)).isFalse();
        assertThat(Scope.parse("read:tasks").grants(required)).isFalse();
        // a bare required action needs the bare action (or *), not one resource of it
        assertThat(Scope.parse("write:tasks").grants(Scope.parse("write"))).isFalse();
        assertThat(Scope.parse("write").grants(Scope.parse("write"))).isTrue();
        assertThat(Scope.parse("write").grants(Scope.parse("*"))).isFalse();
        assertThat(Scope.parse("*").grants(Scope.parse("*"))).isTrue();
    }

    @Test
    void scopeSetGrantsAllOrNothing() {
        ScopeSet set = ScopeSet.of(List.of("read", "write:tasks"));
        assertThat(set.grantsAll(List.of(Scope.parse("read:users"), Scope.parse("write:tasks")))).isTrue();
        assertThat(set.grantsAll(List.of(Scope.parse("read:users"), Scope.parse("write:users")))).isFalse();
        assertThat(set.grantsAll(List.of())).isTrue();
        assertThat(set.toSpaceSeparated()).isEqualTo("read write:tasks");
    }
}
