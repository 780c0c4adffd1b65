package dev.kpat.reconcile;

import static dev.kpat.reconcile.OperatorHarness.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.lifecycle.OperatorSettings;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revoked records stay as tombstones for audits for the retention period, then go. Runs on the mock API
 * ({@link RecordRetentionTest}) and on a real control plane with the chart's RBAC
 * ({@link RecordRetentionOnRealServerTest}).
 */
abstract class RecordRetentionContract {
    protected OperatorHarness h;

    /** A harness on this backend, its operator not started yet. */
    @BeforeEach
    void create(Harnesses harnesses) {
        h = harnesses.create();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void tombstonesOfDeletedTokensAreRemovedAfterRetention() {
        h.start(OperatorSettings.defaults());
        h.create("old", s -> s.setTtl("30d"));
        PersonalAccessToken pat = h.awaitPat("old", p -> phaseIs(p, "Active"));
        String id = pat.getStatus().getTokenId();
        h.delete("old");
        await().atMost(Duration.ofSeconds(10)).until(() -> h.get("old") == null);
        assertThat(h.record(id).getSpec().getRevokedAt()).isNotNull();

        // one millisecond before the end of retention, a restarted operator keeps the tombstone
        h.stopOperator();
        h.clock.advance(Duration.ofDays(30).minusMillis(1));
        h.start(OperatorSettings.defaults());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> h.record(id) != null);

        h.stopOperator();
        h.clock.advance(Duration.ofMillis(1));
        h.start(OperatorSettings.defaults());
        await().atMost(Duration.ofSeconds(10)).until(() -> h.record(id) == null);
    }

    @Test
    void liveRecordsAreNeverRemoved() {
        h.start(OperatorSettings.defaults());
        h.create("live", s -> s.setTtl("30d"));
        String id = h.awaitPat("live", p -> phaseIs(p, "Active")).getStatus().getTokenId();
        h.stopOperator();
        h.clock.advance(Duration.ofDays(400));
        h.start(OperatorSettings.defaults());
        h.awaitPat("live", p -> phaseIs(p, "Expired"));
        assertThat(h.record(id)).isNotNull();
    }
}
