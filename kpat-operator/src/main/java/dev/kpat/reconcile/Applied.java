package dev.kpat.reconcile;

import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.Reason;
import java.util.List;

/**
 * What the actor's writes left: the record that now authenticates the token and the hint of its value (for a live
 * token), the reasons of the values it revoked (for metrics), or that a Secret of the token's name turned out to be
 * someone else's while issuing.
 */
record Applied(TokenRecord current, String hint, List<Reason> revoked, boolean conflict) {
    static final Applied NOTHING = new Applied(null, null, List.of(), false);
    static final Applied CONFLICT = new Applied(null, null, List.of(), true);

    static Applied revoked(List<Reason> revoked) {
        return new Applied(null, null, List.copyOf(revoked), false);
    }
}
