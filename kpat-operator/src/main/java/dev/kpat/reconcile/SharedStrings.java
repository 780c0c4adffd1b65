package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.PersonalAccessTokenStatus;
import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the texts that repeat across cached objects one shared instance each: namespace, a Secret's apiVersion and
 * kind, finalizers, labels, annotations, condition types, reasons and messages, scopes, times to the second; and the
 * texts of one token that each of its copies repeats (the controllers cache a token and its records several times,
 * and records and Secrets name the token by name and uid): names, uids, resourceVersions, token ids, hashes. Every
 * object the JSON reader makes has its own copies: at 1,000 tokens the operator's caches held 191,000 strings of
 * which 48,800 were distinct ({@code scale-op} 10,046 times, {@code kpat.dev/v1alpha1} 7,141 times).
 * {@link String#intern()} is the table: the JVM drops an interned string once nothing refers to it, so names and
 * times that go away leave nothing behind. No token value is ever cached, so none is interned. The empty
 * {@code additionalProperties} map every Fabric8 model object carries becomes one shared empty map.
 */
final class SharedStrings {
    /**
     * The texts every custom resource object computes for itself when made (its CRD name, apiVersion, kind, singular,
     * plural, scope: about 200 bytes per cached copy). They are final fields with no setter, so they are shared by
     * reflection; where that is not allowed they stay as they are.
     */
    private static final List<Field> CUSTOM_RESOURCE_TEXTS = customResourceTexts();

    private SharedStrings() {
    }

    private static List<Field> customResourceTexts() {
        List<Field> out = new ArrayList<>();
        for (Field f : CustomResource.class.getDeclaredFields()) {
            if (f.getType() == String.class && !Modifier.isStatic(f.getModifiers())) {
                try {
                    f.setAccessible(true);
                    out.add(f);
                } catch (RuntimeException e) {
                    return List.of();
                }
            }
        }
        return List.copyOf(out);
    }

    /** The informer key of a cached object ({@code namespace/name}), shared by every cache that holds a copy of it. */
    static String key(HasMetadata obj) {
        return s(Cache.metaNamespaceKeyFunc(obj));
    }

    /** {@code obj} with its repeated texts shared; it is changed in place, as the informer has just read it. */
    static <T extends HasMetadata> T share(T obj) {
        if (obj instanceof Secret secret) {
            secret.setAdditionalProperties(none(secret.getAdditionalProperties()));
            secret.setApiVersion(s(secret.getApiVersion()));
            secret.setKind(s(secret.getKind()));
            secret.setType(s(secret.getType()));
        }
        if (obj instanceof CustomResource<?, ?>) {
            for (Field f : CUSTOM_RESOURCE_TEXTS) {
                try {
                    f.set(obj, s((String) f.get(obj)));
                } catch (IllegalAccessException e) {
                    break;
                }
            }
        }
        if (obj.getMetadata() != null) {
            share(obj.getMetadata());
        }
        if (obj instanceof PersonalAccessToken pat) {
            share(pat.getSpec());
            share(pat.getStatus());
        } else if (obj instanceof TokenRecord record) {
            share(record.getSpec());
        }
        return obj;
    }

    private static void share(ObjectMeta m) {
        m.setAdditionalProperties(none(m.getAdditionalProperties()));
        m.setName(s(m.getName()));
        m.setUid(s(m.getUid()));
        m.setResourceVersion(s(m.getResourceVersion()));
        m.setAnnotations(map(m.getAnnotations()));
        m.setNamespace(s(m.getNamespace()));
        m.setCreationTimestamp(s(m.getCreationTimestamp()));
        m.setDeletionTimestamp(s(m.getDeletionTimestamp()));
        m.setFinalizers(all(m.getFinalizers()));
        m.setLabels(map(m.getLabels()));
        if (m.getOwnerReferences() != null) {
            for (OwnerReference o : m.getOwnerReferences()) {
                o.setAdditionalProperties(none(o.getAdditionalProperties()));
                o.setName(s(o.getName()));
                o.setUid(s(o.getUid()));
                o.setApiVersion(s(o.getApiVersion()));
                o.setKind(s(o.getKind()));
            }
        }
    }

    private static void share(PersonalAccessTokenSpec spec) {
        if (spec == null) {
            return;
        }
        spec.setOwner(s(spec.getOwner()));
        spec.setScopes(all(spec.getScopes()));
        spec.setTtl(s(spec.getTtl()));
        spec.setExpiresAt(s(spec.getExpiresAt()));
    }

    private static void share(PersonalAccessTokenStatus status) {
        if (status == null) {
            return;
        }
        if (status.getConditions() != null) {
            for (Condition c : status.getConditions()) {
                c.setAdditionalProperties(none(c.getAdditionalProperties()));
                c.setType(s(c.getType()));
                c.setStatus(s(c.getStatus()));
                c.setReason(s(c.getReason()));
                c.setMessage(s(c.getMessage()));
                c.setLastTransitionTime(s(c.getLastTransitionTime()));
            }
        }
        status.setSecretName(s(status.getSecretName()));
        status.setTokenId(s(status.getTokenId()));
        status.setTokenHint(s(status.getTokenHint()));
        status.setIssuedAt(s(status.getIssuedAt()));
        status.setExpiresAt(s(status.getExpiresAt()));
        status.setRenewalTime(s(status.getRenewalTime()));
        status.setRevokedAt(s(status.getRevokedAt()));
        status.setOwnerUid(s(status.getOwnerUid()));
        status.setLastUsedAt(s(status.getLastUsedAt()));
        status.setRecentClientIPs(all(status.getRecentClientIPs()));
    }

    private static void share(TokenRecordSpec spec) {
        if (spec == null) {
            return;
        }
        spec.setHash(s(spec.getHash()));
        spec.setOwner(s(spec.getOwner()));
        spec.setOwnerUid(s(spec.getOwnerUid()));
        spec.setScopes(all(spec.getScopes()));
        spec.setIssuedAt(s(spec.getIssuedAt()));
        spec.setExpiresAt(s(spec.getExpiresAt()));
        spec.setValidUntil(s(spec.getValidUntil()));
        spec.setRevokedAt(s(spec.getRevokedAt()));
        spec.setRevocationReason(s(spec.getRevocationReason()));
        if (spec.getTokenRef() != null) {
            spec.getTokenRef().setNamespace(s(spec.getTokenRef().getNamespace()));
            spec.getTokenRef().setName(s(spec.getTokenRef().getName()));
            spec.getTokenRef().setUid(s(spec.getTokenRef().getUid()));
        }
    }

    private static String s(String text) {
        return text == null ? null : text.intern();
    }

    /** The shared empty map for an empty one (nothing adds to a cached object's unknown fields). */
    private static Map<String, Object> none(Map<String, Object> additional) {
        return additional == null || additional.isEmpty() ? Map.of() : additional;
    }

    private static List<String> all(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            return texts;
        }
        List<String> shared = new ArrayList<>(texts.size()); // mutable, as the JSON reader made it
        texts.forEach(t -> shared.add(s(t)));
        return shared;
    }

    private static Map<String, String> map(Map<String, String> texts) {
        if (texts == null || texts.isEmpty()) {
            return texts == null ? null : Map.of(); // one empty map for all: nothing adds to a cached object
        }
        Map<String, String> shared = new LinkedHashMap<>(texts.size() * 4 / 3 + 1);
        texts.forEach((k, v) -> shared.put(s(k), s(v)));
        return shared;
    }
}
