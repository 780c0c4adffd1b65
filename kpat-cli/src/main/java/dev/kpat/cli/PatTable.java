package dev.kpat.cli;

import dev.kpat.api.PersonalAccessToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Renders tokens the way {@code kubectl get pat} shows them (the CRD's printer columns, in their order). */
public final class PatTable {
    private static final String[] HEADERS = {"NAME", "READY", "OWNER", "SCOPES", "PHASE", "EXPIRES", "LAST USED",
        "AGE"};
    private static final String NONE = "<none>";

    private PatTable() {
    }

    public static String render(List<PersonalAccessToken> pats, Instant now) {
        return render(pats, now, false);
    }

    /** @param withNamespace a NAMESPACE column first, as {@code kubectl get -A} shows */
    public static String render(List<PersonalAccessToken> pats, Instant now, boolean withNamespace) {
        List<String[]> rows = new ArrayList<>();
        rows.add(withNamespace ? prepend("NAMESPACE", HEADERS) : HEADERS);
        for (PersonalAccessToken p : pats) {
            String[] row = row(p, now);
            rows.add(withNamespace ? prepend(p.getMetadata().getNamespace(), row) : row);
        }
        return TextTable.render(rows, "");
    }

    private static String[] row(PersonalAccessToken p, Instant now) {
        var st = p.getStatus();
        return new String[] {
            p.getMetadata().getName(),
            orNone(TokenConditions.status(p, TokenConditions.READY)),
            p.getSpec().getOwner(),
            String.join(",", p.getSpec().getScopes()),
            st == null || st.getPhase() == null ? NONE : st.getPhase().name(),
            st == null || st.getExpiresAt() == null ? NONE : st.getExpiresAt(),
            st == null || st.getLastUsedAt() == null ? NONE : age(Instant.parse(st.getLastUsedAt()), now),
            p.getMetadata().getCreationTimestamp() == null ? NONE
                    : age(Instant.parse(p.getMetadata().getCreationTimestamp()), now)};
    }

    private static String orNone(String s) {
        return s == null ? NONE : s;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
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
