package dev.kpat.cli;

import dev.kpat.api.PersonalAccessToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Renders tokens the way {@code kubectl get pat} shows them (the CRD's printer columns). */
public final class PatTable {
    private static final String[] HEADERS = {"NAME", "OWNER", "SCOPES", "PHASE", "EXPIRES", "LAST USED", "AGE"};

    private PatTable() {
    }

    public static String render(List<PersonalAccessToken> pats, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (PersonalAccessToken p : pats) {
            var st = p.getStatus();
            rows.add(new String[] {
                p.getMetadata().getName(),
                p.getSpec().getOwner(),
                String.join(",", p.getSpec().getScopes()),
                st == null || st.getPhase() == null ? "" : st.getPhase().name(),
                st == null || st.getExpiresAt() == null ? "<none>" : st.getExpiresAt(),
                st == null || st.getLastUsedAt() == null ? "<none>" : age(Instant.parse(st.getLastUsedAt()), now),
                p.getMetadata().getCreationTimestamp() == null ? ""
                        : age(Instant.parse(p.getMetadata().getCreationTimestamp()), now)});
        }
        int[] widths = new int[HEADERS.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 3) + "s", r[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** kubectl-style age: 5s, 3m, 2h, 4d. */
    static String age(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        if (d.isNegative()) {
            return "0s";
        }
        if (d.toDays() > 0) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }
}
