package dev.kpat.cli;

import dev.kpat.api.PersonalAccessToken;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** A JSON merge patch on one named token, which must exist. */
final class TokenPatch {
    private TokenPatch() {
    }

    static void apply(KubernetesClient client, String namespace, String name, String mergePatch) {
        var resource = client.resources(PersonalAccessToken.class).inNamespace(namespace).withName(name);
        if (resource.get() == null) {
            throw notFound(namespace, name);
        }
        resource.patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    static PatFailure notFound(String namespace, String name) {
        return new PatFailure(PatExit.NOT_FOUND, "personalaccesstoken \"" + name + "\" not found in namespace \""
                + namespace + "\"");
    }
}
