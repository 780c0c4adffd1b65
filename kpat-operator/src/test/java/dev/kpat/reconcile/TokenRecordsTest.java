package dev.kpat.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.IssueReason;
import dev.kpat.lifecycle.TokenDecision.RecordEdit;
import dev.kpat.lifecycle.TokenPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TokenRecords' writes, on the embedded mock API (no operator running). */
class TokenRecordsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private OperatorHarness h;
    private TokenRecords records;

    @BeforeEach
    void start() {
        h = new OperatorHarness();
        records = new TokenRecords(h.client);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static TokenPlan plan(List<String> scopes) {
        return new TokenPlan("user-a", scopes, null, Duration.ofDays(30), false, null, Duration.ofMinutes(10));
    }

    /** Syncing an edit into a record changes what the edit changes: a block stays until it is lifted on purpose. */
    @Test
    void syncKeepsABlock() {
        PersonalAccessToken pat = h.create("blocked", s -> { });
        String id = "tok-aaaaaaaaaaaaaaaaaaaa";
        records.activate(records.createPending(pat, id, "sha256:" + "0".repeat(64), plan(List.of("read")), NOW,
                IssueReason.Issued, null));
        records.block(id, "TokenPolicy default/strict: deniedScopes: scopes [write] are denied");

        TokenRecord synced = records.sync(id, new RecordEdit(List.of("read", "write"), "user-a",
                "2026-12-24T12:00:00Z", null));

        assertThat(synced.getSpec().getScopes()).containsExactly("read", "write");
        assertThat(synced.getSpec().getBlockedBy()).isNotNull();
        assertThat(h.record(id).getSpec().getBlockedBy()).isNotNull();

        assertThat(records.unblock(id).getSpec().getBlockedBy()).as("lifted on purpose").isNull();
    }
}
