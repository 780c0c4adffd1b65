package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The value each token (by uid) was last announced for by this process: its Event, metric and workload restarts.
 * What a crash forgets: a value status does not name yet and this process did not announce is announced again.
 */
final class Announcements {
    private final Map<String, String> byToken = new ConcurrentHashMap<>();

    String of(PersonalAccessToken pat) {
        return byToken.get(pat.getMetadata().getUid());
    }

    void announced(PersonalAccessToken pat, String tokenId) {
        byToken.put(pat.getMetadata().getUid(), tokenId);
    }

    void forget(PersonalAccessToken pat) {
        byToken.remove(pat.getMetadata().getUid());
    }
}
