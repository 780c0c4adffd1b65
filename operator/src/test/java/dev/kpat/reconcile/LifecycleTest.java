package dev.kpat.reconcile;

import static dev.kpat.testing.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.testing.OperatorHarness;
import dev.kpat.token.TokenFormat;
import dev.kpat.token.TokenHash;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every lifecycle item of the core issue, through the API as a user (kubectl, GitOps) drives it. */
class LifecycleTest {
    private OperatorHarness h;

    @BeforeEach
    void start() {
        h = new OperatorHarness().start(OperatorSettings.defaults());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static Condition condition(PersonalAccessToken p, String type) {
        return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    @Test
    void createIssuesValueRecordAndSecret() {
        h.create("ci", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("ci", p -> phaseIs(p, "Active"));
        var st = pat.getStatus();
        assertThat(condition(pat, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(pat, "Ready").getReason()).isEqualTo("Issued");
        assertThat(st.getRevision()).isEqualTo(1L);
        assertThat(st.getIssuedAt()).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(st.getExpiresAt()).isEqualTo("2026-12-24T12:00:00Z");
        assertThat(st.getSecretName()).isEqualTo("ci");

        Secret secret = h.secret("ci");
        assertThat(secret.getType()).isEqualTo("kpat.dev/token");
        assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "kpat-operator")
                .containsEntry("kpat.dev/token-name", "ci");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("kpat.dev/token-id", st.getTokenId())
                .containsEntry("kpat.dev/expires-at", "2026-12-24T12:00:00Z");
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(pat.getMetadata().getUid()));
        String value = h.valueIn("ci");
        assertThat(new TokenFormat("kpat_").isWellFormed(value)).isTrue();
        assertThat(st.getTokenHint()).isEqualTo("kpat_…" + value.substring(value.length() - 4));

        TokenRecord record = h.record(st.getTokenId());
        assertThat(record.getSpec().getHash()).isEqualTo(TokenHash.of(value));
        assertThat(record.getSpec().getOwner()).isEqualTo("user-a");
        assertThat(record.getSpec().getScopes()).containsExactly("read", "write:tasks");
        assertThat(record.getSpec().getTokenRef().getUid()).isEqualTo(pat.getMetadata().getUid());
        assertThat(record.getSpec().getExpiresAt()).isEqualTo("2026-12-24T12:00:00Z");
        assertThat(record.getSpec().pending()).isFalse();
        assertThat(h.hasEvent("ci", "Issued")).isTrue();
        // the value is nowhere but in the Secret
        assertThat(h.client.resources(PersonalAccessToken.class).inNamespace("default").withName("ci").get()
                .toString()).doesNotContain(value);
        assertThat(record.toString()).doesNotContain(value);
        assertThat(h.events("ci").toString()).doesNotContain(value);
    }

    @Test
    void expiresAtTheInstantAndReactivatesWhenExtended() {
        h.create("short", s -> s.setTtl("1h"));
        PersonalAccessToken pat = h.awaitPat("short", p -> phaseIs(p, "Active"));
        String value = h.valueIn("short");
        h.clock.advance(Duration.ofHours(1).minusMillis(1));
        h.poke("short");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> phaseIs(h.get("short"), "Active"));
        h.clock.advance(Duration.ofMillis(1));
        h.poke("short");
        pat = h.awaitPat("short", p -> phaseIs(p, "Expired"));
        assertThat(condition(pat, "Expired").getStatus()).isEqualTo("True");
        assertThat(condition(pat, "Ready").getReason()).isEqualTo("Expired");
        assertThat(h.hasEvent("short", "Expired")).isTrue();

        h.editSpec("short", s -> s.setTtl("2h"));
        pat = h.awaitPat("short", p -> phaseIs(p, "Active"));
        assertThat(pat.getStatus().getExpiresAt()).isEqualTo("2026-11-24T14:00:00Z");
        assertThat(h.valueIn("short")).isEqualTo(value);
        assertThat(pat.getStatus().getRevision()).isEqualTo(1L);
        assertThat(h.record(pat.getStatus().getTokenId()).getSpec().getExpiresAt()).isEqualTo("2026-11-24T14:00:00Z");
    }

    @Test
    void expiryFiresOnItsOwnAtTheScheduledInstant() {
        // the only test on the real clock: it shows the reschedule fires without any event
        h.close();
        h = new OperatorHarness();
        h.clock.set(Instant.now());
        h.start(OperatorSettings.defaults());
        h.create("tick", s -> s.setTtl("2s"));
        h.awaitPat("tick", p -> phaseIs(p, "Active"));
        // the harness clock stands still, so move it to the expiry when the timer should fire
        Instant expiry = Instant.parse(h.get("tick").getStatus().getExpiresAt());
        h.clock.set(expiry);
        h.awaitPat("tick", p -> phaseIs(p, "Expired"));
    }

    @Test
    void scheduledRotationReplacesTheValueInPlaceWithGrace() {
        h.create("rot", s -> {
            s.setTtl("30d");
            var r = new dev.kpat.api.RotationSpec();
            r.setEnabled(true);
            r.setGracePeriod("15m");
            s.setRotation(r);
        });
        PersonalAccessToken pat = h.awaitPat("rot", p -> phaseIs(p, "Active"));
        assertThat(pat.getStatus().getRenewalTime()).isEqualTo("2026-12-14T12:00:00Z");
        String oldValue = h.valueIn("rot");
        String oldId = pat.getStatus().getTokenId();
        String secretUid = h.secret("rot").getMetadata().getUid();

        h.clock.set(Instant.parse("2026-12-14T12:00:00Z"));
        h.poke("rot");
        pat = h.awaitPat("rot", p -> p.getStatus().getRevision() == 2L);
        assertThat(h.valueIn("rot")).isNotEqualTo(oldValue);
        assertThat(h.secret("rot").getMetadata().getUid()).isEqualTo(secretUid);
        assertThat(condition(pat, "Ready").getReason()).isEqualTo("Rotated");
        assertThat(pat.getStatus().getIssuedAt()).isEqualTo("2026-12-14T12:00:00Z");
        assertThat(pat.getStatus().getExpiresAt()).isEqualTo("2027-01-13T12:00:00Z");
        TokenRecord old = h.record(oldId);
        assertThat(old.getSpec().getValidUntil()).isEqualTo("2026-12-14T12:15:00Z");
        assertThat(old.getSpec().getRevokedAt()).isNull();
        assertThat(h.record(pat.getStatus().getTokenId()).getSpec().getHash()).isEqualTo(TokenHash.of(h.valueIn("rot")));
        assertThat(h.hasEvent("rot", "Rotated")).isTrue();
    }

    @Test
    void manualRotationRevokesThePreviousValueAtOnce() {
        h.create("leaky", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("leaky", p -> phaseIs(p, "Active"));
        String oldId = pat.getStatus().getTokenId();
        String oldValue = h.valueIn("leaky");
        h.annotate("leaky", Labels.ROTATE_ANNOTATION, "leak-2026-11-24");
        pat = h.awaitPat("leaky", p -> p.getStatus().getRevision() == 2L);
        assertThat(h.valueIn("leaky")).isNotEqualTo(oldValue);
        assertThat(h.record(oldId).getSpec().getRevokedAt()).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(h.record(oldId).getSpec().getRevocationReason()).isEqualTo("ManualRotation");
        assertThat(pat.getStatus().getObservedRotateRequest()).isEqualTo("leak-2026-11-24");
        // the same annotation value again does nothing
        h.poke("leaky");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> h.get("leaky").getStatus().getRevision() == 2L);
    }

    @Test
    void revocationIsFinal() {
        h.create("gone", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("gone", p -> phaseIs(p, "Active"));
        String id = pat.getStatus().getTokenId();
        h.editSpec("gone", s -> s.setRevoked(true));
        pat = h.awaitPat("gone", p -> phaseIs(p, "Revoked"));
        assertThat(pat.getStatus().getRevokedAt()).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(condition(pat, "Revoked").getStatus()).isEqualTo("True");
        assertThat(h.record(id).getSpec().getRevokedAt()).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(h.record(id).getSpec().getRevocationReason()).isEqualTo("Revoked");
        await().atMost(Duration.ofSeconds(5)).until(() -> h.secret("gone") == null);
        assertThat(h.hasEvent("gone", "Revoked")).isTrue();
        // the API server's CEL rule forbids un-revoking; the operator ignores it anyway
        h.editSpec("gone", s -> s.setRevoked(false));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> phaseIs(h.get("gone"), "Revoked") && h.secret("gone") == null);
        assertThat(h.recordsOf(pat)).hasSize(1);
    }

    @Test
    void deletedSecretIsReissuedAndOldValueRevoked() {
        h.create("del", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("del", p -> phaseIs(p, "Active"));
        String oldId = pat.getStatus().getTokenId();
        h.client.secrets().inNamespace("default").withName("del").delete();
        pat = h.awaitPat("del", p -> p.getStatus().getRevision() == 2L);
        assertThat(h.valueIn("del")).isNotNull();
        assertThat(h.record(oldId).getSpec().getRevocationReason()).isEqualTo("SecretDeleted");
        assertThat(h.hasEvent("del", "SecretRecreated")).isTrue();
    }

    @Test
    void editedOrEmptiedSecretIsTreatedAsTampered() {
        h.create("tamper", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("tamper", p -> phaseIs(p, "Active"));
        String firstId = pat.getStatus().getTokenId();
        h.client.secrets().inNamespace("default").withName("tamper").edit(s -> {
            s.getData().put("token", java.util.Base64.getEncoder().encodeToString("kpat_chosen-by-hand".getBytes()));
            return s;
        });
        pat = h.awaitPat("tamper", p -> p.getStatus().getRevision() == 2L);
        assertThat(h.record(firstId).getSpec().getRevocationReason()).isEqualTo("SecretTampered");
        String secondId = pat.getStatus().getTokenId();
        assertThat(h.record(secondId).getSpec().getHash()).isEqualTo(TokenHash.of(h.valueIn("tamper")));

        h.client.secrets().inNamespace("default").withName("tamper").edit(s -> {
            s.getData().remove("token");
            return s;
        });
        h.awaitPat("tamper", p -> p.getStatus().getRevision() == 3L);
        assertThat(h.record(secondId).getSpec().getRevocationReason()).isEqualTo("SecretTampered");
        assertThat(h.valueIn("tamper")).isNotNull();
    }

    @Test
    void scopeEditsUpdateTheRecordInPlace() {
        h.create("scoped", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("scoped", p -> phaseIs(p, "Active"));
        String value = h.valueIn("scoped");
        h.editSpec("scoped", s -> {
            s.setScopes(List.of("read"));
            s.setDescription("read only now");
        });
        await().atMost(Duration.ofSeconds(5)).until(() ->
                h.record(pat.getStatus().getTokenId()).getSpec().getScopes().equals(List.of("read")));
        assertThat(h.valueIn("scoped")).isEqualTo(value);
        assertThat(h.get("scoped").getStatus().getRevision()).isEqualTo(1L);
    }

    @Test
    void deletionRevokesRecordsAndDeletesTheSecret() {
        h.create("bye", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("bye", p -> phaseIs(p, "Active"));
        String id = pat.getStatus().getTokenId();
        h.client.resources(PersonalAccessToken.class).inNamespace("default").withName("bye").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> h.get("bye") == null);
        assertThat(h.secret("bye")).isNull();
        TokenRecord tombstone = h.record(id);
        assertThat(tombstone.getSpec().getRevocationReason()).isEqualTo("Deleted");
        assertThat(tombstone.getSpec().getRevokedAt()).isEqualTo("2026-11-24T12:00:00Z");
    }

    @Test
    void invalidSpecIssuesNothingAndNamesTheField() {
        h.create("bad", s -> {
            s.setTtl("30d");
            s.setExpiresAt("2027-01-01T00:00:00Z");
            s.setScopes(List.of("Read"));
        });
        PersonalAccessToken pat = h.awaitPat("bad", p -> phaseIs(p, "Failed"));
        Condition ready = condition(pat, "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("spec.scopes: 'Read' is not")
                .contains("spec.expiresAt: set at most one of spec.expiresAt and spec.ttl");
        assertThat(h.secret("bad")).isNull();
        assertThat(h.recordsOf(pat)).isEmpty();
        assertThat(h.hasEvent("bad", "InvalidSpec")).isTrue();
        // no retry loop: one Event, and the resource settles
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
                .until(() -> h.events("bad").size() == 1);

        h.editSpec("bad", s -> {
            s.setExpiresAt(null);
            s.setScopes(List.of("read"));
        });
        h.awaitPat("bad", p -> phaseIs(p, "Active"));
    }

    @Test
    void foreignSecretIsNeverTouched() {
        h.client.secrets().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("taken").endMetadata()
                .withStringData(java.util.Map.of("password", "keep-me")).build()).create();
        h.create("taken", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("taken", p -> p.getStatus() != null
                && "SecretConflict".equals(condition(p, "Ready").getReason()));
        assertThat(condition(pat, "Ready").getStatus()).isEqualTo("False");
        assertThat(h.secret("taken").getMetadata().getLabels()).isNullOrEmpty();
        assertThat(h.recordsOf(pat)).isEmpty();

        h.client.secrets().inNamespace("default").withName("taken").delete();
        h.poke("taken");
        h.awaitPat("taken", p -> phaseIs(p, "Active"));
    }

    @Test
    void secretTemplateAndCustomSecretName() {
        h.create("templated", s -> {
            s.setTtl("30d");
            s.setSecretName("app-token");
            var t = new dev.kpat.api.SecretTemplate();
            t.setLabels(java.util.Map.of("team", "payments"));
            t.setAnnotations(java.util.Map.of("reloader.stakater.com/match", "true"));
            s.setSecretTemplate(t);
        });
        h.awaitPat("templated", p -> phaseIs(p, "Active"));
        Secret secret = h.secret("app-token");
        assertThat(secret.getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("reloader.stakater.com/match", "true");
        assertThat(h.secret("templated")).isNull();
    }
}
