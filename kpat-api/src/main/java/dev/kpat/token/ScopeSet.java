package dev.kpat.token;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The scopes a token holds, parsed once so checks on the request path do no string work. */
public final class ScopeSet {
    private final List<Scope> scopes;
    /** Computed once: responses carry it on every request. */
    private final String spaceSeparated;

    private ScopeSet(List<Scope> scopes) {
        this.scopes = scopes;
        StringBuilder sb = new StringBuilder();
        for (Scope s : scopes) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(s);
        }
        this.spaceSeparated = sb.toString();
    }

    /** Parses scopes; invalid entries are dropped (a record is validated before it is written). */
    public static ScopeSet of(Collection<String> texts) {
        List<Scope> parsed = new ArrayList<>(texts == null ? 0 : texts.size());
        if (texts != null) {
            for (String t : texts) {
                if (Scope.isValid(t)) {
                    parsed.add(Scope.parse(t));
                }
            }
        }
        return new ScopeSet(List.copyOf(parsed));
    }

    public boolean grants(Scope required) {
        for (Scope s : scopes) {
            if (s.grants(required)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every one of {@code required} is granted. */
    public boolean grantsAll(Collection<Scope> required) {
        for (Scope r : required) {
            if (!grants(r)) {
                return false;
            }
        }
        return true;
    }

    public List<Scope> scopes() {
        return scopes;
    }

    /** Space separated, as RFC 7662 {@code scope} wants it. */
    public String toSpaceSeparated() {
        return spaceSeparated;
    }
}
