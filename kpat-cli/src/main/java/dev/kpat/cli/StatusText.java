package dev.kpat.cli;

import dev.kpat.cli.TokenStatusReport.RecordView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code kubectl pat status} for people: the token, then its conditions, records, Secret, Events and next steps. */
final class StatusText {
    private static final String NONE = "<none>";

    private StatusText() {
    }

    static String render(TokenStatusReport r, Instant now) {
        StringBuilder sb = new StringBuilder();
        List<String[]> head = new ArrayList<>();
        head.add(new String[] {"Name:", r.name()});
        head.add(new String[] {"Namespace:", r.namespace()});
        head.add(new String[] {"Owner:", r.owner()});
        if (r.description() != null) {
            head.add(new String[] {"Description:", r.description()});
        }
        head.add(new String[] {"Scopes:", String.join(", ", r.scopes())});
        head.add(new String[] {"Phase:", or(r.phase())});
        head.add(new String[] {"Ready:", r.ready() == null ? NONE
                : r.ready() + " (" + r.readyReason() + ")" + (r.readyMessage() == null ? "" : ": " + r.readyMessage())});
        if (r.tokenId() != null) {
            head.add(new String[] {"Current value:", r.tokenId() + " (" + or(r.tokenHint()) + "), revision "
                    + (r.revision() == null ? "?" : r.revision())});
        }
        head.add(new String[] {"Issued:", or(r.issuedAt())});
        head.add(new String[] {"Expires:", r.expiresAt() == null ? (r.issuedAt() == null ? NONE : "never")
                : r.expiresAt() + relative(r.expiresAt(), now)});
        head.add(new String[] {"Next rotation:", r.renewalTime() == null ? "not scheduled"
                : r.renewalTime() + relative(r.renewalTime(), now)});
        if (r.revokedAt() != null) {
            head.add(new String[] {"Revoked:", r.revokedAt()});
        }
        head.add(new String[] {"Last used:", r.lastUsedAt() == null ? "never"
                : r.lastUsedAt() + " (" + (r.usageCount() == null ? 0 : r.usageCount()) + " uses)"});
        sb.append(TextTable.render(head, ""));

        sb.append("\nConditions:\n");
        if (r.conditions().isEmpty()) {
            sb.append("  none yet: the operator has not looked at the token\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"TYPE", "STATUS", "REASON", "SINCE", "MESSAGE"});
            r.conditions().forEach(c -> rows.add(new String[] {c.type(), c.status(), or(c.reason()),
                    or(c.lastTransitionTime()), or(c.message())}));
            sb.append(TextTable.render(rows, "  "));
        }

        sb.append("\nRecords (one per issued value; never the value):\n");
        if (r.records() == null) {
            sb.append("  not shown\n");
        } else if (r.records().isEmpty()) {
            sb.append("  none\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "STATE", "ISSUED", "EXPIRES", "VALID UNTIL", "REVOKED", "USES",
                "LAST USED"});
            for (RecordView v : r.records()) {
                rows.add(new String[] {v.id(), v.state(), or(v.issuedAt()), v.expiresAt() == null ? "never"
                        : v.expiresAt(), or(v.validUntil()), v.revokedAt() == null ? NONE
                        : v.revokedAt() + " (" + v.revocationReason() + ")",
                    v.usageCount() == null ? "0" : v.usageCount().toString(), or(v.lastUsedAt())});
            }
            sb.append(TextTable.render(rows, "  "));
        }

        var s = r.secret();
        if (s == null) {
            sb.append("\nSecret: ").append(r.notShown() != null && r.notShown().stream()
                    .anyMatch(n -> n.startsWith("Secret")) ? "not shown" : "none").append('\n');
        } else {
            sb.append("\nSecret ").append(r.namespace()).append('/').append(s.name()).append(" (metadata only):\n");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"Type:", or(s.type())});
            rows.add(new String[] {"Created:", or(s.createdAt())});
            rows.add(new String[] {"Token id:", or(s.tokenId()) + (s.holdsCurrentValue() ? " (the current value)"
                    : " (NOT the current value)")});
            rows.add(new String[] {"Expires:", or(s.expiresAt())});
            rows.add(new String[] {"Keys:", s.keys().isEmpty() ? NONE : String.join(", ", s.keys())});
            rows.add(new String[] {"Owned by token:", s.ownedByToken() ? "yes (deleted with it)" : "no"});
            sb.append(TextTable.render(rows, "  "));
        }

        sb.append("\nEvents (latest ").append(TokenStatusReader.EVENTS).append("):\n");
        if (r.events() == null) {
            sb.append("  not shown\n");
        } else if (r.events().isEmpty()) {
            sb.append("  none\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"LAST SEEN", "TYPE", "REASON", "FROM", "MESSAGE"});
            r.events().forEach(e -> rows.add(new String[] {e.lastSeen(), or(e.type()), or(e.reason()),
                    or(e.from()), or(e.message())}));
            sb.append(TextTable.render(rows, "  "));
        }

        sb.append("\nNext steps:\n");
        if (r.nextSteps().isEmpty()) {
            sb.append("  none").append("True".equals(r.ready()) ? ": the token is Ready" : "").append('\n');
        } else {
            r.nextSteps().forEach(n -> sb.append("  ").append(n.reason()).append(": ").append(n.hint()).append('\n'));
        }
        if (r.notShown() != null) {
            sb.append("\nNot shown:\n");
            r.notShown().forEach(n -> sb.append("  ").append(n).append('\n'));
        }
        return sb.toString();
    }

    private static String or(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    /** " (in 28d)" or " (3h ago)". */
    private static String relative(String time, Instant now) {
        Instant t = Instant.parse(time);
        return t.isAfter(now) ? " (in " + PatTable.age(now, t) + ")" : " (" + PatTable.age(t, now) + " ago)";
    }
}
