package dev.kpat.cli;

import dev.kpat.api.PersonalAccessToken;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What to do next, one hint per reason a token's conditions (or its warning Events) can give for being unwell: the
 * condition reasons of the README's status table, and the warning Events raised outside them. {@code status} shows
 * them and {@code create} prints the one that stopped it.
 */
final class NextSteps {
    /** Reasons of a healthy token: nothing to do. */
    static final Set<String> HEALTHY = Set.of("Issued", "Rotated", "NotExpired", "NotRevoked");

    /** Reasons only warning Events give (no condition carries them). */
    static final Set<String> EVENT_REASONS = Set.of("RevokedTokenUsed", "SecretRecreated");

    /** Hints by reason; %1$s is the token's name, %2$s its namespace, %3$s its Secret, %4$s its owner. */
    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("InvalidSpec", "Fix the field the message names (kubectl edit pat %1$s -n %2$s, or in Git);"
                    + " the operator tries again as soon as the spec changes."),
            Map.entry("PolicyViolation", "A TokenPolicy or ClusterTokenPolicy holds the token back (the message names"
                    + " the policy and the rule): change the spec to comply, or ask the policy's owner"
                    + " (kubectl get tokpol -n %2$s; kubectl get ctokpol)."),
            Map.entry("SecretConflict", "Secret %2$s/%3$s exists and is not this token's: delete it, or re-create the"
                    + " token with another spec.secretName (it is immutable)."),
            Map.entry("ReconcileError", "The Kubernetes API refused the operator a write (the HTTP code is in the"
                    + " message) and it retries with backoff: check the operator's RBAC and any admission policy"
                    + " (Kyverno, Gatekeeper) on Secrets in namespace %2$s; kubectl logs of the operator say more."),
            Map.entry("OwnerNotFound", "The owner %4$s does not exist (yet): create that ServiceAccount, and the"
                    + " token is issued at once; for a wrong owner, re-create the token (spec.owner is immutable)."),
            Map.entry("OwnerDeleted", "The ServiceAccount the token was bound to was deleted (or deleted and created"
                    + " again: another uid). If the ServiceAccount there now should have the token:"
                    + " kubectl pat rotate %1$s -n %2$s."),
            Map.entry("RevokedOnReuse", "A value revoked after a leak was presented again, so the current one was"
                    + " revoked too: find who holds it (the RevokedTokenUsed Events name the client), close the leak,"
                    + " then kubectl pat rotate %1$s -n %2$s."),
            Map.entry("Expired", "Move spec.ttl or spec.expiresAt into the future to reactivate the same value, or"
                    + " enable spec.rotation so a new value is issued before expiry."),
            Map.entry("Revoked", "Revocation is final: create a new token if one is still needed"
                    + " (kubectl pat create), and delete this one (kubectl delete pat %1$s -n %2$s)."),
            Map.entry("RevokedTokenUsed", "Someone presented a value that was revoked on purpose: the Event names the"
                    + " token id and the client address. Find who still holds it; if the leak may go on, set"
                    + " spec.rotation.revokeOnReuse."),
            Map.entry("SecretRecreated", "The Secret was deleted or its value edited, so a new value was issued and"
                    + " the old one revoked: make sure workloads re-read the mounted file (no subPath mounts)."));

    private NextSteps() {
    }

    /** Every reason that has a hint. */
    static Set<String> reasons() {
        return HINTS.keySet();
    }

    static Optional<String> hint(String reason, PersonalAccessToken pat) {
        String template = HINTS.get(reason);
        if (template == null) {
            return Optional.empty();
        }
        String owner = pat.getSpec() == null ? "" : pat.getSpec().getOwner();
        return Optional.of(String.format(template, pat.getMetadata().getName(), pat.getMetadata().getNamespace(),
                pat.secretName(), owner));
    }
}
