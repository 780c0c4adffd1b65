package dev.kpat.testing;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One namespace's tokens as the API server stores them (PATs, their TokenRecords read as raw JSON so a field the
 * Java model would default is seen as stored, kpat's Secrets), and the invariants kpat promises about them: those
 * that hold at every instant, even right after the operator was killed mid-write ({@link #atAnyInstant}), and what a
 * converged operator made of each token ({@link #converged}). Findings name tokens and record ids, never values or
 * hashes.
 */
public final class TokenInvariants {
    private final List<PersonalAccessToken> pats;
    private final List<Stored> records;
    private final List<Secret> secrets;
    /** When the state was read. */
    private final Instant readAt;

    /** A record as typed, and whether the stored object itself says {@code spec.pending: true}. */
    private record Stored(TokenRecord record, boolean pending) {
        String id() {
            return record.getMetadata().getName();
        }

        String token() {
            return record.getSpec().getTokenRef().getName();
        }

        String uid() {
            return record.getSpec().getTokenRef().getUid();
        }

        String hash() {
            return record.getSpec().getHash();
        }

        Instant issuedAt() {
            return Instant.parse(record.getSpec().getIssuedAt());
        }

        boolean revoked() {
            return record.getSpec().getRevokedAt() != null;
        }

        /** Authenticates now: activated, neither revoked nor superseded. */
        boolean live() {
            return !pending && !revoked() && record.getSpec().getValidUntil() == null;
        }
    }

    private TokenInvariants(List<PersonalAccessToken> pats, List<Stored> records, List<Secret> secrets,
                            Instant readAt) {
        this.pats = pats;
        this.records = records;
        this.secrets = secrets;
        this.readAt = readAt;
    }

    public static TokenInvariants read(KubernetesClient admin, String namespace) {
        List<PersonalAccessToken> pats = admin.resources(PersonalAccessToken.class).inNamespace(namespace).list()
                .getItems();
        List<Stored> records = new ArrayList<>();
        for (GenericKubernetesResource raw : admin.genericKubernetesResources("kpat.dev/v1alpha1", "TokenRecord")
                .withLabel(Labels.PAT_NAMESPACE, LabelValues.of(namespace)).list().getItems()) {
            boolean pending = raw.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                    && Boolean.TRUE.equals(spec.get("pending"));
            records.add(new Stored(admin.getKubernetesSerialization().convertValue(raw, TokenRecord.class), pending));
        }
        List<Secret> secrets = admin.secrets().inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list().getItems();
        return new TokenInvariants(pats, records, secrets, Instant.now());
    }

    public List<PersonalAccessToken> pats() {
        return pats;
    }

    /** Records whose stored object says pending. */
    public long pendingRecords() {
        return records.stream().filter(Stored::pending).count();
    }

    /**
     * What must hold at every instant, also while no operator runs after one was killed mid-write:
     * <ul>
     * <li>a value authenticates only after it was in its token's Secret, and only the Secret's value or older ones
     * waiting to be retired authenticate (never a newer one);</li>
     * <li>the value in a Secret has its record, which the Secret names;</li>
     * <li>once status names the Secret's value, no other value of the token is live (the one it replaced is
     * retired before status is written);</li>
     * <li>a token whose status says Revoked has no Secret and no live or pending record; a PAT that is gone (its
     * finalizer lifted) left no Secret and only revoked records;</li>
     * <li>no value belongs to two records, and no Secret held a value another Secret held, or one it held
     * before.</li>
     * </ul>
     */
    public List<String> atAnyInstant(SecretValueLedger ledger) {
        List<String> out = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        for (PersonalAccessToken pat : pats) {
            uids.add(pat.getMetadata().getUid());
            String name = pat.getMetadata().getName();
            List<Stored> mine = recordsOf(pat.getMetadata().getUid());
            List<Stored> live = mine.stream().filter(Stored::live).toList();
            Secret secret = secretOf(name);
            String inSecret = secret == null ? null : SecretValueLedger.hashIn(secret);
            Set<String> seen = ledger.hashesSeenFor(name);
            if (inSecret != null) {
                seen.add(inSecret); // the informer may not have delivered the latest write yet
            }
            for (Stored r : live) {
                if (!seen.contains(r.hash())) {
                    out.add(name + ": record " + r.id() + " is live but its value was never in Secret "
                            + pat.secretName());
                }
            }
            Stored named = null;
            if (inSecret != null) {
                String id = annotation(secret, Labels.TOKEN_ID_ANNOTATION);
                named = mine.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
                if (named == null || !named.hash().equals(inSecret)) {
                    out.add(name + ": the value in its Secret is not the value of record " + id + " that it names");
                    named = null;
                }
            }
            for (Stored r : live) {
                if (named != null && r != named && r.issuedAt().isAfter(named.issuedAt())) {
                    out.add(name + ": record " + r.id() + " is live and newer than the value in its Secret ("
                            + named.id() + ")");
                }
            }
            var status = pat.getStatus();
            String statusId = status == null ? null : status.getTokenId();
            if (statusId != null) {
                Stored current = mine.stream().filter(r -> r.id().equals(statusId)).findFirst().orElse(null);
                if (current == null || current.pending()) {
                    out.add(name + ": status names record " + statusId + ", which is " + (current == null ? "missing"
                            : "pending"));
                }
            }
            Stored inSecretRecord = named;
            List<Stored> others = live.stream().filter(r -> r != inSecretRecord).toList();
            if (named != null && named.id().equals(statusId) && !others.isEmpty()) {
                out.add(name + ": status names the value in its Secret, yet older records are live: " + ids(others));
            }
            if (status != null && "Revoked".equals(String.valueOf(status.getPhase()))) {
                if (secret != null) {
                    out.add(name + " is Revoked but its Secret is still there");
                }
                mine.stream().filter(r -> r.pending() || !r.revoked()).forEach(r -> out.add(name + " is Revoked but"
                        + " its record " + r.id() + " is " + (r.pending() ? "pending" : "not revoked")));
            }
        }
        for (Stored r : records) {
            if (!uids.contains(r.uid()) && (r.pending() || !r.revoked())) {
                out.add("record " + r.id() + " of " + r.token() + ", a PAT that is gone, is " + (r.pending()
                        ? "pending" : "not revoked"));
            }
        }
        for (Secret s : secrets) {
            boolean owned = s.getMetadata().getOwnerReferences() != null && s.getMetadata().getOwnerReferences()
                    .stream().anyMatch(o -> uids.contains(o.getUid()));
            if (!owned) {
                out.add("Secret " + s.getMetadata().getName() + " outlived its PAT");
            }
        }
        Map<String, List<String>> byHash = records.stream().collect(Collectors.groupingBy(Stored::hash,
                Collectors.mapping(Stored::id, Collectors.toList())));
        byHash.values().stream().filter(ids -> ids.size() > 1)
                .forEach(ids -> out.add("records " + String.join(", ", ids) + " hold the same value"));
        out.addAll(ledger.violations());
        return out;
    }

    /**
     * What must hold once the operator has converged: {@link #atAnyInstant}, every token as {@code expected} says
     * ({@link #of}), every PAT and record expected, and no Secret but those of Active tokens.
     */
    public List<String> converged(Map<String, ExpectedToken> expected, SecretValueLedger ledger) {
        List<String> out = new ArrayList<>(atAnyInstant(ledger));
        expected.forEach((name, e) -> out.addAll(of(name, e, ledger)));
        for (PersonalAccessToken pat : pats) {
            if (!expected.containsKey(pat.getMetadata().getName())) {
                out.add("PAT " + pat.getMetadata().getName() + " was not expected");
            }
        }
        for (Stored r : records) {
            if (!expected.containsKey(r.token())) {
                out.add("record " + r.id() + " belongs to " + r.token() + ", which was not expected");
            }
        }
        for (Secret s : secrets) {
            ExpectedToken e = expected.get(SecretValueLedger.tokenOf(s));
            if (e == null || e.end() != ExpectedToken.End.ACTIVE) {
                out.add("Secret " + s.getMetadata().getName() + " is there, but its token is " + (e == null
                        ? "not expected" : e.end()));
            }
        }
        return out;
    }

    /**
     * What the operator must have made of one token, converged: its phase; as many values as were issued, each
     * seen in its Secret; the values before the last retired as {@link ExpectedToken#previous()} says; and then
     * <ul>
     * <li>Active: exactly one live record, the last, hashing the value in the Secret, named by the Secret and by
     * status, which has caught up with the spec and the {@code kpat.dev/rotate} annotation; revision = values;</li>
     * <li>Revoked: no Secret, every record revoked, the last one for reason Revoked;</li>
     * <li>Deleted: the PAT gone (finalizer lifted), no Secret, every record a revoked tombstone, the last one for
     * reason Deleted.</li>
     * </ul>
     * Also what a test waits for before it acts on a token: empty once the token is where it expects.
     */
    public List<String> of(String name, ExpectedToken expected, SecretValueLedger ledger) {
        List<String> out = new ArrayList<>();
        PersonalAccessToken pat = pats.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst()
                .orElse(null);
        List<Stored> mine = records.stream().filter(r -> r.token().equals(name))
                .sorted(Comparator.comparing(Stored::issuedAt)).toList();
        mine.stream().filter(Stored::pending).forEach(r -> out.add(name + ": record " + r.id() + " is pending"));
        List<Stored> issued = mine.stream().filter(r -> !r.pending()).toList();
        if (expected.atLeast() ? issued.size() < expected.values() : issued.size() != expected.values()) {
            out.add(name + " has " + issued.size() + " values, not " + (expected.atLeast() ? "at least " : "")
                    + expected.values() + ": " + ids(issued));
        }
        Set<String> seen = ledger.hashesSeenFor(name);
        issued.stream().filter(r -> !seen.contains(r.hash()))
                .forEach(r -> out.add(name + ": the value of record " + r.id() + " was never seen in its Secret"));
        for (int i = 0; i + 1 < issued.size(); i++) {
            out.addAll(retired(name, issued.get(i), issued.get(i + 1), expected));
        }
        Stored last = issued.isEmpty() ? null : issued.get(issued.size() - 1);
        Secret secret = secretOf(name);
        switch (expected.end()) {
            case ACTIVE -> out.addAll(active(name, pat, issued, last, secret, seen));
            case REVOKED -> {
                out.addAll(phase(name, pat, "Revoked"));
                out.addAll(dead(name, issued, last, secret, "Revoked"));
            }
            case DELETED -> {
                if (pat != null) {
                    out.add(name + " is still there" + (pat.getMetadata().getDeletionTimestamp() == null ? ""
                            : ", being deleted, with finalizers " + pat.getMetadata().getFinalizers()));
                }
                out.addAll(dead(name, issued, last, secret, "Deleted"));
            }
        }
        return out;
    }

    private List<String> active(String name, PersonalAccessToken pat, List<Stored> issued, Stored last,
                                Secret secret, Set<String> seen) {
        List<String> out = new ArrayList<>(phase(name, pat, "Active"));
        if (!out.isEmpty() || last == null) {
            return out;
        }
        var status = pat.getStatus();
        if (!Objects.equals(status.getObservedGeneration(), pat.getMetadata().getGeneration())
                || !Objects.equals(status.getObservedRotateRequest(), pat.rotateRequest())) {
            out.add(name + ": status has not caught up with the spec or the rotate annotation");
        }
        List<Stored> live = issued.stream().filter(Stored::live).toList();
        if (live.size() != 1 || live.get(0) != last) {
            out.add(name + " has live records " + ids(live) + ", not only its last, " + last.id());
        }
        if (secret == null) {
            out.add(name + " has no Secret");
            return out;
        }
        if (!last.hash().equals(SecretValueLedger.hashIn(secret))) {
            out.add(name + ": its last record " + last.id() + " does not hash the value in its Secret");
        }
        String named = annotation(secret, Labels.TOKEN_ID_ANNOTATION);
        if (!last.id().equals(named) || !last.id().equals(status.getTokenId())) {
            out.add(name + ": last record " + last.id() + ", but the Secret names " + named + " and the status "
                    + status.getTokenId());
        }
        if (!Objects.equals(status.getRevision(), (long) issued.size())) {
            out.add(name + " is at revision " + status.getRevision() + " after " + issued.size() + " values");
        }
        Set<String> hashes = issued.stream().map(Stored::hash).collect(Collectors.toSet());
        if (!hashes.equals(seen)) {
            out.add(name + ": its Secret held " + seen.size() + " values, its records hold " + hashes.size());
        }
        return out;
    }

    private static List<String> phase(String name, PersonalAccessToken pat, String phase) {
        if (pat == null) {
            return List.of(name + " is gone, not " + phase);
        }
        var status = pat.getStatus();
        if (status == null || !phase.equals(String.valueOf(status.getPhase()))) {
            return List.of(name + " is " + (status == null ? "without status" : status.getPhase()) + ", not "
                    + phase);
        }
        return pat.getMetadata().getDeletionTimestamp() == null ? List.of() : List.of(name + " is being deleted");
    }

    /** A revoked or deleted token: nothing of it authenticates and its Secret is gone. */
    private static List<String> dead(String name, List<Stored> issued, Stored last, Secret secret, String reason) {
        List<String> out = new ArrayList<>();
        if (secret != null) {
            out.add(name + " still has its Secret");
        }
        issued.stream().filter(r -> !r.revoked())
                .forEach(r -> out.add(name + ": record " + r.id() + " is not revoked"));
        if (last != null && last.revoked() && !reason.equals(last.record().getSpec().getRevocationReason())) {
            out.add(name + ": its last record " + last.id() + " was revoked for " + last.record().getSpec()
                    .getRevocationReason() + ", not " + reason);
        }
        return out;
    }

    /**
     * How a value was retired when {@code next} replaced it. A superseded value gets its grace from the reconcile
     * that retires it: right after its successor is active, or after a crash in between, whenever the next process
     * gets to the token (minutes later on a loaded machine), so the grace is at least the promised one from the
     * successor's issue, and counted from a moment before this state was read. A token revoked or deleted before
     * that reconcile came has every value revoked at once instead (CrashTest seeds 38711045202718 and
     * 44995858732130: a leader died between a scheduled rotation's new value and the old one's grace, and the next
     * leader's first work on the token was its deletion).
     */
    private List<String> retired(String name, Stored r, Stored next, ExpectedToken expected) {
        var spec = r.record().getSpec();
        if (expected.previous() == ExpectedToken.Retired.REVOKED_ON_REQUEST) {
            boolean ok = spec.getValidUntil() == null && r.revoked() && "ManualRotation".equals(
                    spec.getRevocationReason()) && !Instant.parse(spec.getRevokedAt()).isBefore(next.issuedAt());
            return ok ? List.of() : List.of(name + ": record " + r.id() + ", replaced on request by " + next.id()
                    + ", is not revoked for ManualRotation when it was (" + spec.getRevocationReason() + ")");
        }
        Instant expiry = spec.getExpiresAt() == null ? Instant.MAX : Instant.parse(spec.getExpiresAt());
        Instant latest = min(expiry, readAt.plus(expected.grace()));
        if (spec.getValidUntil() == null) {
            // revoked or deleted before any process got to give it its grace: it stopped with all the token's values,
            // no later than a grace given now would have ended
            boolean revokedWithTheToken = expected.end() != ExpectedToken.End.ACTIVE && r.revoked()
                    && !Instant.parse(spec.getRevokedAt()).isAfter(latest);
            return revokedWithTheToken ? List.of() : List.of(name + ": record " + r.id() + ", replaced on schedule by "
                    + next.id() + ", has no end of grace");
        }
        Instant validUntil = Instant.parse(spec.getValidUntil());
        Instant earliest = min(expiry, next.issuedAt().plus(expected.grace()));
        List<String> out = new ArrayList<>();
        if (validUntil.isBefore(earliest) || validUntil.isAfter(latest)) {
            out.add(name + ": record " + r.id() + ", replaced on schedule by " + next.id() + ", is valid until "
                    + validUntil + ", not for its grace period of " + expected.grace() + " from a moment between "
                    + next.issuedAt() + " and " + readAt);
        }
        if (expected.end() == ExpectedToken.End.ACTIVE && r.revoked()) {
            out.add(name + ": record " + r.id() + ", replaced on schedule, was revoked");
        }
        return out;
    }

    private List<Stored> recordsOf(String uid) {
        return records.stream().filter(r -> r.uid().equals(uid)).toList();
    }

    /** The kpat Secret of the token of that name. */
    private Secret secretOf(String token) {
        return secrets.stream().filter(s -> token.equals(SecretValueLedger.tokenOf(s))).findFirst().orElse(null);
    }

    private static String annotation(Secret secret, String key) {
        var annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String ids(List<Stored> records) {
        return records.stream().map(Stored::id).collect(Collectors.joining(", ", "[", "]"));
    }
}
