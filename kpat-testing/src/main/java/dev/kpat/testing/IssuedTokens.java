package dev.kpat.testing;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.token.TokenHash;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One namespace's tokens as the API server stores them: PATs, their TokenRecords (read as raw JSON, so a field the
 * Java model would default is seen as it really is) and kpat's Secrets. Checks report names and ids, never values.
 */
public final class IssuedTokens {
    private final List<PersonalAccessToken> pats;
    private final List<Stored> records;
    private final List<Secret> secrets;

    /** A record as typed, and whether the stored object itself says {@code spec.pending: true}. */
    private record Stored(TokenRecord record, boolean storedPending) {
        String id() {
            return record.getMetadata().getName();
        }

        boolean live() {
            return !storedPending && record.getSpec().getRevokedAt() == null
                    && record.getSpec().getValidUntil() == null;
        }
    }

    private IssuedTokens(List<PersonalAccessToken> pats, List<Stored> records, List<Secret> secrets) {
        this.pats = pats;
        this.records = records;
        this.secrets = secrets;
    }

    public static IssuedTokens read(KubernetesClient admin, String namespace) {
        List<PersonalAccessToken> pats = admin.resources(PersonalAccessToken.class).inNamespace(namespace).list()
                .getItems();
        List<Stored> records = new ArrayList<>();
        for (GenericKubernetesResource raw : admin.genericKubernetesResources("kpat.dev/v1alpha1", "TokenRecord")
                .withLabel(Labels.PAT_NAMESPACE, LabelValues.of(namespace)).list().getItems()) {
            Object spec = raw.getAdditionalProperties().get("spec");
            boolean pending = spec instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("pending"));
            records.add(new Stored(admin.getKubernetesSerialization().convertValue(raw, TokenRecord.class), pending));
        }
        List<Secret> secrets = admin.secrets().inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list().getItems();
        return new IssuedTokens(pats, records, secrets);
    }

    public List<PersonalAccessToken> pats() {
        return pats;
    }

    /** Records whose stored object says pending. */
    public long pendingRecords() {
        return records.stream().filter(Stored::storedPending).count();
    }

    /** PATs whose status is not Active yet. */
    public long notActive() {
        return pats.stream().filter(p -> p.getStatus() == null || !"Active".equals(String.valueOf(
                p.getStatus().getPhase()))).count();
    }

    /**
     * What must hold at every instant, also right after the operator was killed mid-write: no token has two live
     * values, and a record whose value is not in its token's Secret is marked pending in the stored object (a
     * pending record authenticates nothing).
     */
    public List<String> violationsAtAnyInstant() {
        List<String> out = new ArrayList<>();
        for (PersonalAccessToken pat : pats) {
            List<Stored> live = recordsOf(pat).stream().filter(Stored::live).toList();
            if (live.size() > 1) {
                out.add(name(pat) + " has " + live.size() + " live records: " + ids(live));
            }
            String secretHash = secretHash(pat);
            for (Stored r : live) {
                if (secretHash == null || !secretHash.equals(r.record().getSpec().getHash())) {
                    out.add(name(pat) + ": record " + r.id() + " is live (not pending in the stored object) but its"
                            + " value is not in Secret " + pat.secretName());
                }
            }
        }
        return out;
    }

    /**
     * What must hold once the operator has converged: every PAT Active at revision {@code revision} with exactly one
     * record, live, matching its Secret and named by both the Secret and the status; no pending record; no record or
     * kpat Secret without its PAT.
     */
    public List<String> violationsWhenConverged(long revision) {
        List<String> out = new ArrayList<>();
        for (PersonalAccessToken pat : pats) {
            var status = pat.getStatus();
            if (status == null || !"Active".equals(String.valueOf(status.getPhase()))) {
                out.add(name(pat) + " is " + (status == null ? "without status" : status.getPhase()));
                continue;
            }
            if (!Objects.equals(status.getRevision(), revision)) {
                out.add(name(pat) + " is at revision " + status.getRevision() + ", not " + revision);
            }
            List<Stored> mine = recordsOf(pat);
            if (mine.size() != 1) {
                out.add(name(pat) + " has " + mine.size() + " records, not 1: " + ids(mine));
                continue;
            }
            Stored only = mine.get(0);
            if (!only.live()) {
                out.add(name(pat) + ": its record " + only.id() + " is " + (only.storedPending() ? "pending"
                        : "retired"));
            }
            Secret secret = secretOf(pat);
            if (secret == null) {
                out.add(name(pat) + " has no Secret " + pat.secretName());
                continue;
            }
            if (!only.record().getSpec().getHash().equals(secretHash(pat))) {
                out.add(name(pat) + ": record " + only.id() + " does not hash the value in Secret " + pat.secretName());
            }
            String named = secret.getMetadata().getAnnotations().get(Labels.TOKEN_ID_ANNOTATION);
            if (!only.id().equals(named) || !only.id().equals(status.getTokenId())) {
                out.add(name(pat) + ": record " + only.id() + ", but the Secret names " + named + " and the status "
                        + status.getTokenId());
            }
        }
        Set<String> uids = pats.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
        for (Stored r : records) {
            if (r.storedPending()) {
                out.add("record " + r.id() + " is still pending");
            }
            if (!uids.contains(r.record().getSpec().getTokenRef().getUid())) {
                out.add("record " + r.id() + " belongs to no existing PAT (" + r.record().getSpec().getTokenRef()
                        .getName() + ")");
            }
        }
        out.addAll(orphanSecrets(uids));
        return out;
    }

    /**
     * What must hold once the operator has acted on every change to a mix of tokens, {@code expected} naming each
     * PAT that must exist with the phase it must have (any other PAT of the namespace must be gone): an Active PAT
     * has exactly {@code activeRevision} records (one per value issued), of which exactly one is live, matches its
     * Secret and is named by the Secret and the status; a Revoked PAT has no live record and no Secret; a record
     * whose PAT is gone is a revoked tombstone; nothing is pending; no kpat Secret lacks its PAT; no two records
     * hash the same value.
     */
    public List<String> violationsWhenSettled(Map<String, String> expected, long activeRevision) {
        List<String> out = new ArrayList<>();
        Set<String> present = new java.util.HashSet<>();
        for (PersonalAccessToken pat : pats) {
            String name = pat.getMetadata().getName();
            present.add(name);
            String want = expected.get(name);
            String phase = pat.getStatus() == null ? null : String.valueOf(pat.getStatus().getPhase());
            if (want == null) {
                out.add(name(pat) + " still exists (" + phase + ")");
            } else if (!want.equals(phase)) {
                out.add(name(pat) + " is " + phase + ", not " + want);
            } else if ("Active".equals(want)) {
                out.addAll(activeViolations(pat, activeRevision));
            } else if ("Revoked".equals(want)) {
                recordsOf(pat).stream().filter(Stored::live).forEach(r -> out.add(name(pat) + " is revoked but its"
                        + " record " + r.id() + " is live"));
                if (secretOf(pat) != null) {
                    out.add(name(pat) + " is revoked but its Secret " + pat.secretName() + " is left");
                }
            }
        }
        expected.keySet().stream().filter(n -> !present.contains(n)).forEach(n -> out.add(n + " is missing"));
        Set<String> uids = pats.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
        Set<String> hashes = new java.util.HashSet<>();
        for (Stored r : records) {
            if (r.storedPending()) {
                out.add("record " + r.id() + " is still pending");
            }
            if (!uids.contains(r.record().getSpec().getTokenRef().getUid()) && r.record().getSpec().getRevokedAt()
                    == null) {
                out.add("record " + r.id() + " of the deleted " + r.record().getSpec().getTokenRef().getName()
                        + " is not revoked");
            }
            if (!hashes.add(r.record().getSpec().getHash())) {
                out.add("record " + r.id() + " hashes the same value as another record");
            }
        }
        out.addAll(orphanSecrets(uids));
        return out;
    }

    private List<String> activeViolations(PersonalAccessToken pat, long revision) {
        List<String> out = new ArrayList<>();
        var status = pat.getStatus();
        if (!Objects.equals(status.getRevision(), revision)) {
            out.add(name(pat) + " is at revision " + status.getRevision() + ", not " + revision);
        }
        List<Stored> mine = recordsOf(pat);
        if (mine.size() != revision) {
            out.add(name(pat) + " has " + mine.size() + " records, not " + revision + ": " + ids(mine));
        }
        List<Stored> live = mine.stream().filter(Stored::live).toList();
        if (live.size() != 1) {
            out.add(name(pat) + " has " + live.size() + " live records, not 1: " + ids(live));
            return out;
        }
        Stored only = live.get(0);
        Secret secret = secretOf(pat);
        if (secret == null) {
            out.add(name(pat) + " has no Secret " + pat.secretName());
            return out;
        }
        if (!only.record().getSpec().getHash().equals(secretHash(pat))) {
            out.add(name(pat) + ": record " + only.id() + " does not hash the value in Secret " + pat.secretName());
        }
        String named = secret.getMetadata().getAnnotations().get(Labels.TOKEN_ID_ANNOTATION);
        if (!only.id().equals(named) || !only.id().equals(status.getTokenId())) {
            out.add(name(pat) + ": live record " + only.id() + ", but the Secret names " + named + " and the status "
                    + status.getTokenId());
        }
        return out;
    }

    /**
     * The hash of the value each kpat Secret holds now, by the name of its PAT ({@code kpat.dev/token-name}): a test
     * that collects them while the operator works can later check that every value it saw was recorded.
     */
    public Map<String, String> secretValueHashes() {
        Map<String, String> out = new java.util.HashMap<>();
        for (Secret s : secrets) {
            String pat = s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels()
                    .get(Labels.TOKEN_NAME);
            String hash = hashOf(s);
            if (pat != null && hash != null) {
                out.put(pat, hash);
            }
        }
        return out;
    }

    /**
     * Values seen in Secrets over time (hashes by PAT name) that break "one value, one record, one token": a value
     * no record of its PAT hashes, or one seen in the Secrets of two PATs.
     */
    public List<String> violationsOfSeenValues(Map<String, Set<String>> seen) {
        List<String> out = new ArrayList<>();
        Map<String, String> owner = new java.util.HashMap<>();
        seen.forEach((pat, hashes) -> {
            Set<String> recorded = records.stream().filter(r -> pat.equals(r.record().getSpec().getTokenRef()
                    .getName())).map(r -> r.record().getSpec().getHash()).collect(Collectors.toSet());
            for (String hash : hashes) {
                if (!recorded.contains(hash)) {
                    out.add("a value seen in the Secret of " + pat + " has no record of " + pat);
                }
                String other = owner.putIfAbsent(hash, pat);
                if (other != null && !other.equals(pat)) {
                    out.add("one value was seen in the Secrets of " + other + " and " + pat);
                }
            }
        });
        return out;
    }

    /** What must hold once every PAT is deleted: no kpat Secret left, every record a revoked tombstone. */
    public List<String> violationsAfterDeletion() {
        List<String> out = new ArrayList<>();
        secrets.forEach(s -> out.add("Secret " + s.getMetadata().getName() + " outlived its PAT"));
        for (Stored r : records) {
            if (r.storedPending() || r.record().getSpec().getRevokedAt() == null) {
                out.add("record " + r.id() + " of a deleted PAT is " + (r.storedPending() ? "pending" : "not revoked"));
            }
        }
        return out;
    }

    private List<Stored> recordsOf(PersonalAccessToken pat) {
        return records.stream().filter(r -> r.record().getSpec() != null && r.record().getSpec().getTokenRef() != null
                && pat.getMetadata().getUid().equals(r.record().getSpec().getTokenRef().getUid())).toList();
    }

    private Secret secretOf(PersonalAccessToken pat) {
        return secrets.stream().filter(s -> s.getMetadata().getName().equals(pat.secretName())).findFirst()
                .orElse(null);
    }

    /** The hash of the value in the PAT's Secret, or null when there is no Secret or no value. */
    private String secretHash(PersonalAccessToken pat) {
        return hashOf(secretOf(pat));
    }

    private static String hashOf(Secret secret) {
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(Labels.SECRET_KEY);
        if (encoded == null) {
            return null;
        }
        return TokenHash.of(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
    }

    private static String name(PersonalAccessToken pat) {
        return pat.getMetadata().getNamespace() + "/" + pat.getMetadata().getName();
    }

    private static String ids(List<Stored> records) {
        return records.stream().map(Stored::id).collect(Collectors.joining(", "));
    }

    /** kpat Secrets whose owner reference names none of these PAT uids. */
    private List<String> orphanSecrets(Set<String> uids) {
        return secrets.stream().filter(s -> s.getMetadata().getOwnerReferences() == null || s.getMetadata()
                        .getOwnerReferences().stream().noneMatch(o -> uids.contains(o.getUid())))
                .map(s -> "Secret " + s.getMetadata().getName() + " belongs to no existing PAT").toList();
    }
}
