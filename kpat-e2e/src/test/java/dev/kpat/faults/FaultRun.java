package dev.kpat.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What one run of the scenario measured. */
record FaultRun(double rate, int tokens, Duration issued, Duration rotated, Duration settled, long requests,
        Map<ApiVerb, Long> byVerb, ApiTraffic.Rate requestRate, long faults, Map<Fault, Long> byFault,
        ApiTraffic.Rate faultRate, List<String> exits) {

    String describe() {
        return String.format("%d tokens at %.0f %% faults: all Active after %.1f s, rotated after %.1f s, revoked"
                        + " and deleted after %.1f s; %d requests (%s), %s; %d faults injected (%s), %s; operator"
                        + " exits %d%s",
                tokens, rate * 100, seconds(issued), seconds(rotated), seconds(settled), requests, byVerb,
                requestRate, faults, byFault, faultRate, exits.size(), exits.isEmpty() ? ""
                        : ": " + String.join("; ", exits));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
