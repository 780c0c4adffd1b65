package dev.kpat.testing;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** Plain PersonalAccessTokens for tests that care about issuance, not about the spec. */
public final class Pats {
    private Pats() {
    }

    /** Creates a read-only token of alice's with a 30-day lifetime. */
    public static PersonalAccessToken create(KubernetesClient client, String namespace, String name) {
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        PersonalAccessTokenSpec spec = new PersonalAccessTokenSpec();
        spec.setOwner("alice");
        spec.setScopes(List.of("read"));
        spec.setTtl("30d");
        pat.setSpec(spec);
        return client.resource(pat).create();
    }

    public static boolean isActive(KubernetesClient client, String namespace, String name) {
        PersonalAccessToken pat = client.resources(PersonalAccessToken.class).inNamespace(namespace).withName(name)
                .get();
        return pat != null && pat.getStatus() != null && "Active".equals(String.valueOf(pat.getStatus().getPhase()));
    }
}
