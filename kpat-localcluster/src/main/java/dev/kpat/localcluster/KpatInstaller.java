package dev.kpat.localcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs what {@code kubectl apply -f crds/} installs: kpat's CRDs and its admission policy (shipped in the jar). */
public final class KpatInstaller {
    /** The files of {@code crds/}, packaged in the jar under {@code kpat/crds/}. */
    public static final List<String> FILES = List.of(
            "personalaccesstokens.kpat.dev-v1.yml", "tokenrecords.kpat.dev-v1.yml",
            "tokenpolicies.kpat.dev-v1.yml", "clustertokenpolicies.kpat.dev-v1.yml", "admission-policy.yaml");
    private static final String FIELD_MANAGER = "kpat-local-cluster";

    private KpatInstaller() {
    }

    public static void install(KubernetesClient client) {
        for (String file : FILES) {
            for (HasMetadata object : load(client, "kpat/crds/" + file)) {
                client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
                if (object instanceof CustomResourceDefinition crd) {
                    client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                            .waitUntilCondition(KpatInstaller::established, 60, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static List<HasMetadata> load(KubernetesClient client, String resource) {
        try (InputStream in = KpatInstaller.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not in the jar (run the Maven build)");
            }
            return client.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
