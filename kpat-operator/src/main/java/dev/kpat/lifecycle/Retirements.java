package dev.kpat.lifecycle;

import dev.kpat.lifecycle.TokenDecision.Retirement;
import dev.kpat.lifecycle.TokenDecision.Retirement.How;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every record of a token other than the current one stops authenticating: pending leftovers of an interrupted issue
 * are deleted; live ones get a grace period after a scheduled rotation, else are revoked for the reason of the
 * current value (a leak, a deleted or tampered Secret). Pure.
 */
final class Retirements {
    private Retirements() {
    }

    /**
     * @param currentId the record that stays (null when a new value is about to be issued)
     * @param reason    why the current value was issued
     */
    static List<Retirement> of(List<RecordFacts> records, String currentId, IssueReason reason, TokenPlan plan,
                               Instant now) {
        List<Retirement> out = new ArrayList<>();
        for (RecordFacts r : records) {
            if (r.id().equals(currentId) || r.retired()) {
                continue;
            }
            if (r.pending()) {
                out.add(new Retirement(r.id(), How.DELETE, null, null));
            } else if (reason.graceForPrevious()) {
                Instant graceEnd = now.plus(plan.gracePeriod());
                Instant expiry = r.expiry();
                out.add(new Retirement(r.id(), How.SUPERSEDE,
                        expiry != null && expiry.isBefore(graceEnd) ? expiry : graceEnd, null));
            } else {
                out.add(new Retirement(r.id(), How.REVOKE, null, Reason.of(reason)));
            }
        }
        return out;
    }
}
