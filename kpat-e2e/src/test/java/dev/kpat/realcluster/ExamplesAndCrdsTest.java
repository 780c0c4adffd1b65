package dev.kpat.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.Kubectl;
import dev.kpat.testing.RealCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What users install and apply, as they would: the real kubectl against the real API server. */
@ExtendWith(RealCluster.class)
class ExamplesAndCrdsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** Traefik's Middleware kind, so its example can be applied without installing Traefik. */
    private static final String TRAEFIK_MIDDLEWARE_CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: middlewares.traefik.io}
            spec:
              group: traefik.io
              names: {kind: Middleware, plural: middlewares, singular: middleware}
              scope: Namespaced
              versions:
              - name: v1alpha1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """;
    /** Argo CD's Application kind, so its example can be applied without installing Argo CD. */
    private static final String ARGOCD_APPLICATION_CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: applications.argoproj.io}
            spec:
              group: argoproj.io
              names: {kind: Application, plural: applications, singular: application}
              scope: Namespaced
              versions:
              - name: v1alpha1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """;
    private static final String KUSTOMIZATION = "kustomization.yaml";
    private static Kubectl kubectl;

    @BeforeAll
    static void setUp(LocalControlPlane plane) {
        kubectl = new Kubectl(plane, plane.adminKubeconfig());
        for (String ns : List.of("payments", "argocd")) {
            assertThat(kubectl.run("create", "namespace", ns).exitCode()).isIn(0, 1);
        }
        for (String crd : List.of(TRAEFIK_MIDDLEWARE_CRD, ARGOCD_APPLICATION_CRD)) {
            assertThat(kubectl.runWithInput(crd, "apply", "-f", "-").ok()).isTrue();
        }
        kubectl.run("wait", "--for=condition=Established", "crd/middlewares.traefik.io",
                "crd/applications.argoproj.io", "--timeout=30s");
    }

    @Test
    void crdsDirectoryAndChartCrdsInstall() {
        // crds/ is what local-cluster installed; applying it again, and the chart's copy, changes nothing and fails nothing
        for (String dir : List.of("crds", "helm/kpat/files/crds")) {
            Kubectl.Result server = kubectl.run("apply", "--server-side", "--force-conflicts",
                    "--field-manager=kpat-test", "-f", REPO.resolve(dir).toString());
            assertThat(server.ok()).as(dir + ": " + server).isTrue();
            Kubectl.Result client = kubectl.run("apply", "--dry-run=server", "-f", REPO.resolve(dir).toString());
            assertThat(client.ok()).as(dir + ": " + client).isTrue();
        }
        Kubectl.Result crds = kubectl.run("get", "crd", "-o", "name");
        assertThat(crds.out()).contains("personalaccesstokens.kpat.dev", "tokenrecords.kpat.dev",
                "tokenpolicies.kpat.dev", "clustertokenpolicies.kpat.dev");
    }

    @Test
    void everyExampleAppliesClientSideAndServerSide() throws IOException {
        List<Path> manifests = examples();
        assertThat(manifests).hasSizeGreaterThanOrEqualTo(8);
        for (Path file : manifests) {
            Kubectl.Result applied = kubectl.run("apply", "-f", file.toString());
            assertThat(applied.ok()).as(file + ": " + applied).isTrue();
        }
        for (Path file : manifests) {
            Kubectl.Result applied = kubectl.run("apply", "--server-side", "--field-manager=gitops", "-f",
                    file.toString());
            assertThat(applied.ok()).as(file + " (server-side): " + applied).isTrue();
        }
        Kubectl.Result pats = kubectl.run("get", "pat", "-A");
        assertThat(pats.out()).contains("alice-readonly", "bob-admin", "ci-deployer")
                .contains("OWNER").contains("SCOPES").contains("PHASE");
        for (Path file : manifests) {
            kubectl.run("delete", "--wait=false", "-f", file.toString());
        }
    }

    @Test
    void everyKustomizationBuildsAndApplies() throws IOException {
        List<Path> kustomizations = kustomizations();
        assertThat(kustomizations).isNotEmpty();
        for (Path dir : kustomizations) {
            Kubectl.Result applied = kubectl.run("apply", "-k", dir.toString());
            assertThat(applied.ok()).as(dir + ": " + applied).isTrue();
            Kubectl.Result server = kubectl.run("apply", "--server-side", "--field-manager=gitops", "-k",
                    dir.toString());
            assertThat(server.ok()).as(dir + " (server-side): " + server).isTrue();
        }
        // the namespace and labels the kustomization sets reach the tokens
        Kubectl.Result pats = kubectl.run("get", "pat", "-n", "team-payments", "-l",
                "app.kubernetes.io/part-of=payments", "-o", "name");
        assertThat(pats.out().lines()).as(pats.toString()).containsExactlyInAnyOrder(
                "personalaccesstoken.kpat.dev/payments-ci", "personalaccesstoken.kpat.dev/payments-oncall");
        for (Path dir : kustomizations) {
            kubectl.run("delete", "--wait=false", "-k", dir.toString());
        }
    }

    private static boolean notAClusterObject(Path file) {
        try {
            String text = Files.readString(file);
            // an API server's flag file, or another program's configuration (Envoy's)
            return text.contains("apiVersion: apiserver.config.k8s.io/")
                    || !text.matches("(?s)(.*\\n)?apiVersion: .*");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Manifests applied one by one: not files for the API server's flags (AuthorizationConfiguration) or for other
     * programs (Envoy), which are not cluster objects, nor the parts of a kustomization, which are applied as one with -k.
     */
    private static List<Path> examples() throws IOException {
        List<Path> kustomizations = kustomizations();
        try (Stream<Path> files = Files.walk(REPO.resolve("examples"))) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !notAClusterObject(f)
                    && kustomizations.stream().noneMatch(f::startsWith)).sorted().toList();
        }
    }

    private static List<Path> kustomizations() throws IOException {
        try (Stream<Path> files = Files.walk(REPO.resolve("examples"))) {
            return files.filter(f -> f.getFileName().toString().equals(KUSTOMIZATION)).map(Path::getParent)
                    .sorted().toList();
        }
    }
}
