package dev.kpat.reconcile;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.SecretTemplate;
import dev.kpat.token.TokenValue;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and writes the Secret that holds a token's value. The only place a raw value is written. */
public class TokenSecrets {
    /**
     * On a cached copy only (never written to the API): the SHA-256 of the value the Secret held, empty when it held
     * none. The cache keeps no values.
     */
    static final String CACHED_DIGEST = "kpat.dev/cached-value-digest";

    private final KubernetesClient client;

    public TokenSecrets(KubernetesClient client) {
        this.client = client;
    }

    /** The Secret named by the PAT, read from the API (not a cache: the operator caches only its own Secrets). */
    public Secret get(PersonalAccessToken pat) {
        return client.secrets().inNamespace(pat.getMetadata().getNamespace()).withName(pat.secretName()).get();
    }

    /** Whether kpat manages this Secret for this PAT: a Secret it does not manage is never touched. */
    public static boolean isManagedFor(Secret secret, PersonalAccessToken pat) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        if (labels == null || !Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY))
                || !pat.getMetadata().getName().equals(patNameOf(secret))) {
            return false;
        }
        var owners = secret.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> pat.getMetadata().getUid().equals(o.getUid()));
    }

    /** The value in a Secret, or null when the key is missing or empty. */
    public static TokenValue valueOf(Secret secret) {
        String encoded = secret.getData() == null ? null : secret.getData().get(Labels.SECRET_KEY);
        if (encoded == null || encoded.isEmpty()) {
            String plain = secret.getStringData() == null ? null : secret.getStringData().get(Labels.SECRET_KEY);
            return plain == null || plain.isEmpty() ? null : TokenValue.of(plain);
        }
        try {
            String value = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            return value.isEmpty() ? null : TokenValue.of(value);
        } catch (IllegalArgumentException e) {
            return null; // not base64: treated as tampered
        }
    }

    /**
     * The name of the PAT a kpat Secret belongs to: the {@code kpat.dev/token-name} annotation (exact, whatever the
     * length), else the label of the same key, which Secrets written before the annotation carry with the full name.
     */
    public static String patNameOf(Secret secret) {
        var annotations = secret.getMetadata().getAnnotations();
        String name = annotations == null ? null : annotations.get(Labels.TOKEN_NAME);
        if (name != null) {
            return name;
        }
        var labels = secret.getMetadata().getLabels();
        return labels == null ? null : labels.get(Labels.TOKEN_NAME);
    }

    public static String tokenIdOf(Secret secret) {
        var annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Labels.TOKEN_ID_ANNOTATION);
    }

    /**
     * Writes the value into the Secret: creates it, or replaces its value in place so mounted volumes update. A
     * Secret made immutable cannot take a new value (the API server refuses the update): it is replaced by a new
     * one, immutable again, since that is what was asked of it (kubelet does not refresh immutable Secrets anyway).
     *
     * @param existing the managed Secret as read, or null to create one
     * @throws io.fabric8.kubernetes.client.KubernetesClientException with code 409 when a Secret of that name appeared
     */
    public Secret write(PersonalAccessToken pat, Secret existing, TokenValue value, String tokenId, Instant expiresAt) {
        Secret desired = desired(pat, value, tokenId, expiresAt);
        var secrets = client.secrets().inNamespace(pat.getMetadata().getNamespace());
        if (existing == null) {
            return secrets.resource(desired).create();
        }
        if (Boolean.TRUE.equals(existing.getImmutable())) {
            desired.setImmutable(true);
            // only the Secret as read: one replaced meanwhile is left alone (the delete fails with a conflict)
            secrets.resource(existing).lockResourceVersion(existing.getMetadata().getResourceVersion()).delete();
            return secrets.resource(desired).create();
        }
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        return secrets.resource(desired).update();
    }

    /** Updates the expiry annotation when the lifetime changes without a new value. */
    public void annotateExpiry(Secret secret, Instant expiresAt) {
        String want = expiresAt == null ? null : expiresAt.toString();
        var annotations = secret.getMetadata().getAnnotations();
        String have = annotations == null ? null : annotations.get(Labels.EXPIRES_AT_ANNOTATION);
        if (want == null ? have == null : want.equals(have)) {
            return;
        }
        client.secrets().inNamespace(secret.getMetadata().getNamespace()).withName(secret.getMetadata().getName())
                .edit(s -> {
                    if (want == null) {
                        s.getMetadata().getAnnotations().remove(Labels.EXPIRES_AT_ANNOTATION);
                    } else {
                        s.getMetadata().getAnnotations().put(Labels.EXPIRES_AT_ANNOTATION, want);
                    }
                    return s;
                });
    }

    public void delete(Secret secret) {
        client.secrets().inNamespace(secret.getMetadata().getNamespace()).withName(secret.getMetadata().getName())
                .delete();
    }

    static Secret desired(PersonalAccessToken pat, TokenValue value, String tokenId, Instant expiresAt) {
        SecretTemplate template = pat.getSpec().getSecretTemplate();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (template != null && template.getLabels() != null) {
            labels.putAll(template.getLabels());
        }
        if (template != null && template.getAnnotations() != null) {
            annotations.putAll(template.getAnnotations());
        }
        // kpat's own keys win over the template: they are what tells kpat the Secret is its own
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        // a label value holds at most 63 characters, a name up to 253: the label selects, the annotation is exact
        labels.put(Labels.TOKEN_NAME, LabelValues.of(pat.getMetadata().getName()));
        annotations.put(Labels.TOKEN_NAME, pat.getMetadata().getName());
        annotations.put(Labels.TOKEN_ID_ANNOTATION, tokenId);
        if (expiresAt != null) {
            annotations.put(Labels.EXPIRES_AT_ANNOTATION, expiresAt.toString());
        }
        return new SecretBuilder()
                .withNewMetadata()
                .withName(pat.secretName())
                .withNamespace(pat.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(pat.getApiVersion())
                        .withKind(pat.getKind())
                        .withName(pat.getMetadata().getName())
                        .withUid(pat.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .endMetadata()
                .withType(Labels.SECRET_TYPE)
                .withData(Map.of(Labels.SECRET_KEY,
                        Base64.getEncoder().encodeToString(value.reveal().getBytes(StandardCharsets.UTF_8))))
                .build();
    }
}
