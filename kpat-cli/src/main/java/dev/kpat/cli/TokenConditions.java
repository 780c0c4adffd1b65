package dev.kpat.cli;

import dev.kpat.api.PersonalAccessToken;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

/** Reads a token's status conditions (the operator writes them; see the README's status table). */
final class TokenConditions {
    static final String READY = "Ready";
    static final String EXPIRED = "Expired";
    static final String REVOKED = "Revoked";

    private TokenConditions() {
    }

    static List<Condition> of(PersonalAccessToken pat) {
        return pat.getStatus() == null || pat.getStatus().getConditions() == null ? List.of()
                : pat.getStatus().getConditions();
    }

    static Condition find(PersonalAccessToken pat, String type) {
        return of(pat).stream().filter(c -> Objects.equals(type, c.getType())).findFirst().orElse(null);
    }

    /** The condition's status ("True", "False"), or null when it is not there. */
    static String status(PersonalAccessToken pat, String type) {
        Condition c = find(pat, type);
        return c == null ? null : c.getStatus();
    }

    /**
     * Whether the condition says something is wrong: Ready False, or Expired / Revoked True. Those are the
     * conditions whose reason gets a next step.
     */
    static boolean isProblem(Condition c) {
        return READY.equals(c.getType()) ? "False".equals(c.getStatus())
                : (EXPIRED.equals(c.getType()) || REVOKED.equals(c.getType())) && "True".equals(c.getStatus());
    }
}
