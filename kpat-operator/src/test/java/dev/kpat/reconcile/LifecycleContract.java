package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.OperatorSettings;
import dev.kpat.token.TokenFormat;
import dev.kpat.token.TokenHash;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every lifecycle item of the core issue, through the API as a user (kubectl, GitOps) drives it. The same tests run
 * on the embedded mock API ({@link LifecycleTest}) and on a real control plane with the chart's RBAC
 * ({@link LifecycleOnRealServerTest}); where the two legitimately differ (the real API server validates and admits),
 * a test says so with {@link OperatorHarness#onRealServer()}.
 */
abstract class LifecycleContract {
    protected OperatorHarness h;

    /** A harness on this backend, its operator not started yet. */
    @BeforeEach
    void start(Harnesses harnesses) {
        h = harnesses.create().start(OperatorSettings.defaults());
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
        // kstatus (Flux's health checks): settled, of this very generation
        assertThat(condition(pat, "Stalled").getStatus()).isEqualTo("False");
        assertThat(condition(pat, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(st.getObservedGeneration()).isEqualTo(pat.getMetadata().getGeneration());
        assertThat(st.getRevision()).isEqualTo(1L);
        assertThat(st.getIssuedAt()).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(st.getExpiresAt()).isEqualTo("2026-12-24T12:00:00Z");
        assertThat(st.getSecretName()).isEqualTo("ci");
        assertThat(pat.getMetadata().getFinalizers()).as("the finalizer kpat documents").contains(Labels.FINALIZER);

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
        assertThat(h.get("ci").toString()).doesNotContain(value);
        assertThat(record.toString()).doesNotContain(value);
        assertThat(h.events("ci").toString()).doesNotContain(value);
    }

    @Test
    void aRecordIsStoredPendingOnlyWhileItsValueIsBeingWritten() {
        // every stored version of the test's records, as the API server hands them out
        List<String> versions = new CopyOnWriteArrayList<>();
        Watcher<TokenRecord> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, TokenRecord r) {
                versions.add(action + " " + r.getMetadata().getName() + " pending=" + r.getSpec().getPending());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
        try (Watch ignored = h.client.resources(TokenRecord.class).withLabel(Labels.PAT_NAMESPACE, h.ns)
                .watch(watcher)) {
            h.create("pending", s -> s.setTtl("30d"));
            String id = h.awaitPat("pending", p -> phaseIs(p, "Active")).getStatus().getTokenId();
            await().atMost(Duration.ofSeconds(5)).until(() -> versions.contains("MODIFIED " + id + " pending=null"));
            assertThat(versions).first().isEqualTo("ADDED " + id + " pending=true");
            assertThat(versions.stream().dropWhile(v -> v.endsWith("pending=true")))
                    .isNotEmpty().allMatch(v -> v.endsWith(" pending=null"));
            // as stored now, read without kpat's model: the field is gone, not false or empty
            var stored = h.client.genericKubernetesResources(HasMetadata.getApiVersion(TokenRecord.class),
                    HasMetadata.getKind(TokenRecord.class)).withName(id).get();
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
            assertThat(spec).containsKey("hash").doesNotContainKey("pending");
        }
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
        h.clock.set(Instant.now());
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
        // due in the first fifth of the 10-day renewal window, at the token's own instant (RenewalJitter)
        Instant due = Instant.parse("2026-12-14T12:00:00Z").plus(dev.kpat.lifecycle.RenewalJitter.delay(
                pat.getMetadata().getUid(), java.time.Duration.ofDays(10),
                dev.kpat.lifecycle.OperatorSettings.DEFAULT_ROTATION_SPREAD));
        assertThat(due).isBefore(Instant.parse("2026-12-16T12:00:00Z"));
        assertThat(pat.getStatus().getRenewalTime()).isEqualTo(due.toString());
        String oldValue = h.valueIn("rot");
        String oldId = pat.getStatus().getTokenId();
        String secretUid = h.secret("rot").getMetadata().getUid();

        h.clock.set(due);
        h.poke("rot");
        pat = h.awaitPat("rot", p -> p.getStatus().getRevision() == 2L);
        assertThat(h.valueIn("rot")).isNotEqualTo(oldValue);
        assertThat(h.secret("rot").getMetadata().getUid()).isEqualTo(secretUid);
        assertThat(condition(pat, "Ready").getReason()).isEqualTo("Rotated");
        assertThat(pat.getStatus().getIssuedAt()).isEqualTo(due.toString());
        assertThat(pat.getStatus().getExpiresAt()).isEqualTo(due.plus(java.time.Duration.ofDays(30)).toString());
        TokenRecord old = h.record(oldId);
        assertThat(old.getSpec().getValidUntil()).isEqualTo(due.plus(java.time.Duration.ofMinutes(15)).toString());
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
        // revoked on purpose is settled, not stuck: a GitOps health check passes
        assertThat(condition(pat, "Stalled").getStatus()).isEqualTo("False");
        assertThat(condition(pat, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(h.record(id).getSpec().getRevokedAt()).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(h.record(id).getSpec().getRevocationReason()).isEqualTo("Revoked");
        await().atMost(Duration.ofSeconds(5)).until(() -> h.secret("gone") == null);
        assertThat(h.hasEvent("gone", "Revoked")).isTrue();
        // the API server's CEL rule forbids un-revoking; the operator ignores it anyway (the mock API lets it in)
        if (h.onRealServer()) {
            assertThatThrownBy(() -> h.editSpec("gone", s -> s.setRevoked(false)))
                    .isInstanceOfSatisfying(KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(422));
        } else {
            h.editSpec("gone", s -> s.setRevoked(false));
        }
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> phaseIs(h.get("gone"), "Revoked") && h.secret("gone") == null);
        assertThat(h.recordsOf(pat)).hasSize(1);
    }

    @Test
    void deletedSecretIsReissuedAndOldValueRevoked() {
        h.create("del", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("del", p -> phaseIs(p, "Active"));
        String oldId = pat.getStatus().getTokenId();
        h.client.secrets().inNamespace(h.ns).withName("del").delete();
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
        h.client.secrets().inNamespace(h.ns).withName("tamper").edit(s -> {
            s.getData().put("token", java.util.Base64.getEncoder().encodeToString("kpat_chosen-by-hand".getBytes()));
            return s;
        });
        pat = h.awaitPat("tamper", p -> p.getStatus().getRevision() == 2L);
        assertThat(h.record(firstId).getSpec().getRevocationReason()).isEqualTo("SecretTampered");
        String secondId = pat.getStatus().getTokenId();
        assertThat(h.record(secondId).getSpec().getHash()).isEqualTo(TokenHash.of(h.valueIn("tamper")));

        h.client.secrets().inNamespace(h.ns).withName("tamper").edit(s -> {
            s.getData().remove("token");
            return s;
        });
        h.awaitPat("tamper", p -> p.getStatus().getRevision() == 3L);
        assertThat(h.record(secondId).getSpec().getRevocationReason()).isEqualTo("SecretTampered");
        assertThat(h.valueIn("tamper")).isNotNull();
    }

    @Test
    void aSecretMadeImmutableIsReplacedOnRotation() {
        h.create("frozen", s -> s.setTtl("30d"));
        String oldId = h.awaitPat("frozen", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        String oldValue = h.valueIn("frozen");
        h.client.secrets().inNamespace(h.ns).withName("frozen").edit(s -> {
            s.setImmutable(true);
            return s;
        });
        h.annotate("frozen", Labels.ROTATE_ANNOTATION, "1");
        PersonalAccessToken pat = h.awaitPat("frozen", p -> p.getStatus().getRevision() == 2L);
        assertThat(h.valueIn("frozen")).isNotEqualTo(oldValue);
        assertThat(h.record(pat.getStatus().getTokenId()).getSpec().getHash())
                .isEqualTo(TokenHash.of(h.valueIn("frozen")));
        assertThat(h.record(oldId).getSpec().getRevocationReason()).isEqualTo("ManualRotation");
        assertThat(h.secret("frozen").getImmutable()).as("immutable as its owner made it").isTrue();
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
        h.delete("bye");
        await().atMost(Duration.ofSeconds(10)).until(() -> h.get("bye") == null);
        assertThat(h.secret("bye")).isNull();
        TokenRecord tombstone = h.record(id);
        assertThat(tombstone.getSpec().getRevocationReason()).isEqualTo("Deleted");
        assertThat(tombstone.getSpec().getRevokedAt()).isEqualTo("2026-11-24T12:00:00Z");
    }

    @Test
    void aTokenDeletedWithoutTheOperatorHasItsValueRevokedOnceTheOperatorRuns() {
        h.create("gone", s -> s.setTtl("30d"));
        String id = h.awaitPat("gone", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        // uninstalled, then the token deleted and its finalizer removed by hand so the deletion goes through
        h.stopOperator();
        h.client.resources(PersonalAccessToken.class).inNamespace(h.ns).withName("gone").edit(p -> {
            p.getMetadata().setFinalizers(new java.util.ArrayList<>());
            return p;
        });
        h.delete("gone");
        await().atMost(Duration.ofSeconds(10)).until(() -> h.get("gone") == null);
        assertThat(h.record(id).getSpec().getRevokedAt()).as("nothing revoked it while the operator was away")
                .isNull();

        h.start(OperatorSettings.defaults());
        await().atMost(Duration.ofSeconds(15)).until(() -> h.record(id).getSpec().getRevokedAt() != null);
        assertThat(h.record(id).getSpec().getRevocationReason()).isEqualTo("Deleted");
    }

    @Test
    void aDeletionThatLandsWhileStatusIsWrittenIsNotLost() throws Exception {
        // a verifier's usage write makes the operator patch the token's status; a deletion that lands while that
        // patch is in flight must still be finalized (JOSDK 5.3's event filtering dropped it: the token hung)
        List<String> names = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "busy-" + i).toList();
        for (String n : names) {
            h.create(n, s -> s.setTtl("30d"));
        }
        java.util.Random random = new java.util.Random(7);
        for (String n : names) {
            String id = h.awaitPat(n, p -> phaseIs(p, "Active")).getStatus().getTokenId();
            writeUsage(id, 1 + random.nextInt(1000));
            Thread.sleep(random.nextInt(12));
            h.delete(n);
        }
        // nothing else happens to these tokens: only the deletion events themselves can finalize them
        await().atMost(Duration.ofSeconds(20)).until(() -> names.stream().allMatch(n -> h.get(n) == null));
    }

    private void writeUsage(String tokenId, long count) {
        try {
            h.client.resources(TokenRecord.class).withName(tokenId).subresource("status").patch(
                    io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                    "{\"status\":{\"usageCount\":" + count + ",\"lastUsedAt\":\"2026-11-24T12:00:00Z\"}}");
        } catch (KubernetesClientException e) {
            // the record was revoked and removed with its token meanwhile
        }
    }

    @Test
    void invalidSpecIssuesNothingAndNamesTheField() {
        // a spec the CRD schema accepts but the operator refuses: its flags allow no non-expiring token, and such a
        // token has no renewal time to rotate at
        h.create("bad", s -> {
            s.setTtl("never");
            var r = new dev.kpat.api.RotationSpec();
            r.setEnabled(true);
            s.setRotation(r);
        });
        PersonalAccessToken pat = h.awaitPat("bad", p -> phaseIs(p, "Failed"));
        Condition ready = condition(pat, "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("spec.ttl: non-expiring tokens are not allowed")
                .contains("spec.rotation.enabled: a non-expiring token has no renewal time to rotate at");
        assertThat(h.secret("bad")).isNull();
        assertThat(h.recordsOf(pat)).isEmpty();
        assertThat(h.hasEvent("bad", "InvalidSpec")).isTrue();
        // kstatus: Stalled, for the Ready condition's reason, so a Flux health check fails at once
        assertThat(condition(pat, "Stalled").getStatus()).isEqualTo("True");
        assertThat(condition(pat, "Stalled").getReason()).isEqualTo("InvalidSpec");
        assertThat(condition(pat, "Stalled").getMessage()).isEqualTo(ready.getMessage());
        assertThat(condition(pat, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(pat.getStatus().getObservedGeneration()).isEqualTo(pat.getMetadata().getGeneration());
        // no retry loop: one Event, and the resource settles
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
                .until(() -> h.events("bad").size() == 1 && h.events("bad").get(0).getCount() == 1);

        h.editSpec("bad", s -> s.setTtl("30d"));
        pat = h.awaitPat("bad", p -> phaseIs(p, "Active"));
        assertThat(condition(pat, "Stalled").getStatus()).isEqualTo("False");
        assertThat(condition(pat, "Reconciling").getStatus()).isEqualTo("False");
        assertThat(pat.getStatus().getObservedGeneration()).isEqualTo(pat.getMetadata().getGeneration());
    }

    @Test
    void malformedSpecIsRejectedByTheApiServerOrRefusedByTheOperator() {
        Runnable create = () -> h.create("malformed", s -> {
            s.setTtl("30d");
            s.setExpiresAt("2027-01-01T00:00:00Z");
            s.setScopes(List.of("Read"));
        });
        if (h.onRealServer()) {
            // the CRD's schema and rules stop it at the door: nothing is stored, nothing for the operator to do
            assertThatThrownBy(create::run).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                assertThat(e.getCode()).isEqualTo(422);
                assertThat(e.getMessage()).contains("set at most one of spec.expiresAt and spec.ttl")
                        .contains("each scope is '*', 'action' or 'action:resource'");
            });
            assertThat(h.get("malformed")).isNull();
            return;
        }
        // the mock API validates nothing: the operator's own validation names every field
        create.run();
        PersonalAccessToken pat = h.awaitPat("malformed", p -> phaseIs(p, "Failed"));
        assertThat(condition(pat, "Ready").getMessage()).contains("spec.scopes: 'Read' is not")
                .contains("spec.expiresAt: set at most one of spec.expiresAt and spec.ttl");
        assertThat(h.secret("malformed")).isNull();
    }

    @Test
    void foreignSecretIsNeverTouched() {
        h.client.secrets().inNamespace(h.ns).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("taken").endMetadata()
                .withStringData(java.util.Map.of("password", "keep-me")).build()).create();
        h.create("taken", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("taken", p -> p.getStatus() != null
                && "SecretConflict".equals(condition(p, "Ready").getReason()));
        assertThat(condition(pat, "Ready").getStatus()).isEqualTo("False");
        assertThat(h.secret("taken").getMetadata().getLabels()).isNullOrEmpty();
        assertThat(h.recordsOf(pat)).isEmpty();

        h.client.secrets().inNamespace(h.ns).withName("taken").delete();
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
