package dev.kpat.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A personal access token, declared by its owner (or a GitOps pipeline) and issued by the operator. */
@Group(Labels.GROUP)
@Version("v1alpha1")
@Plural("personalaccesstokens")
@ShortNames({"pat", "pats"})
// `kubectl get kpat` lists every kpat kind
@Categories("kpat")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Owner", jsonPath = ".spec.owner", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Scopes", jsonPath = ".spec.scopes", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".status.expiresAt", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Used", jsonPath = ".status.lastUsedAt", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class PersonalAccessToken extends CustomResource<PersonalAccessTokenSpec, PersonalAccessTokenStatus>
        implements Namespaced {

    /** The Secret that holds the value: {@code spec.secretName}, or the PAT's own name. */
    public String secretName() {
        String s = getSpec() == null ? null : getSpec().getSecretName();
        return s == null || s.isEmpty() ? getMetadata().getName() : s;
    }

    /**
     * Whether the token is revoked. Revocation is one-way: once status records it, setting {@code spec.revoked} back
     * to false changes nothing. Not a bean accessor, so it is no property of the resource.
     */
    public boolean revoked() {
        return (getSpec() != null && getSpec().isRevoked()) || (getStatus() != null && getStatus().getRevokedAt() != null);
    }

    /** The current value of the {@code kpat.dev/rotate} annotation, or null. */
    public String rotateRequest() {
        var annotations = getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Labels.ROTATE_ANNOTATION);
    }
}
