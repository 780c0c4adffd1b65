package dev.kpat.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import dev.kpat.api.Phase;
import dev.kpat.localcluster.EmbeddedCluster;
import dev.kpat.localcluster.Kubeconfig;
import dev.kpat.localcluster.LocalControlPlane;
import dev.kpat.testing.ChartRbac;
import dev.kpat.testing.RealCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The jars started as the images start them (Jib's entrypoint: {@code java <jvmFlags> -cp ... <mainClass>}, the flags
 * read from the parent pom's Jib configuration), with the arguments the chart renders, on a read-only root file
 * system whose only writable place is a fresh {@code /tmp} (the chart's emptyDir): a private mount namespace
 * ({@code unshare -m}) remounts every file system read-only, as {@code readOnlyRootFilesystem: true} does.
 */
@ExtendWith(RealCluster.class)
class ImageEntrypointTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Every mount read-only except the kernel's, then an empty tmpfs at /tmp, then the command. */
    private static final String READ_ONLY_ROOT = "set -e; mount --make-rprivate /; "
            + "for m in $(awk '{print $2}' /proc/self/mounts | sort -u); do case $m in /proc*|/sys*|/dev*) ;; "
            + "*) mount -o remount,bind,ro \"$m\" 2>/dev/null || true;; esac; done; "
            + "mount -t tmpfs -o size=64m tmpfs /tmp; "
            + "if touch /kpat-write-probe 2>/dev/null; then echo 'root is writable' >&2; exit 97; fi; exec \"$@\"";

    private static List<String> jvmFlags;

    @BeforeAll
    static void imageConfiguration() throws IOException {
        Assumptions.assumeTrue(canUnshare(), "needs `unshare -m` (root or CAP_SYS_ADMIN) for a read-only root");
        String pom = Files.readString(REPO.resolve("pom.xml"));
        jvmFlags = new ArrayList<>();
        Matcher m = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>").matcher(pom);
        while (m.find()) {
            jvmFlags.add(m.group(1));
        }
        assertThat(jvmFlags).as("the images' JVM flags in the parent pom").contains("-XX:MaxRAMPercentage=75")
                .anyMatch(f -> f.startsWith("-Djava.io.tmpdir=/tmp"));
    }

    @Test
    void verifierServesWithTheChartsArgumentsOnAReadOnlyRoot(LocalControlPlane plane) throws Exception {
        ChartRbac rbac = ChartRbac.install(plane);
        int port = freePort();
        List<String> args = containerArgs("verifier", port);
        Path kubeconfig = outsideTmp("verifier-kubeconfig", Files.readString(rbac.verifierKubeconfig()));
        Process p = start("kpat-verifier", "dev.kpat.verify.VerifierMain", args, kubeconfig);
        try {
            SSLContext tls = trustingAnyCertificate();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(p.isAlive()).as("verifier alive; stderr: %s", stderrOf("kpat-verifier")).isTrue();
                assertThat(httpsStatus(tls, "https://127.0.0.1:" + port + "/readyz")).isEqualTo(200);
            });
        } finally {
            stop(p);
        }
        assertThat(stderrOf("kpat-verifier")).doesNotContain("Read-only file system").doesNotContain("Exception");
    }

    @Test
    void operatorIssuesWithTheChartsArgumentsOnAReadOnlyRoot() throws Exception {
        try (EmbeddedCluster cluster = new EmbeddedCluster().start()) {
            int metricsPort = freePort();
            List<String> args = new ArrayList<>(containerArgs("operator", metricsPort).stream()
                    .filter(a -> !a.startsWith("--leader-election")).toList());
            args.add("--no-leader-election"); // the mock API cannot answer the RBAC check leader election starts with
            Path kubeconfig = outsideTmp("operator-kubeconfig", Files.readString(Kubeconfig.write(cluster)));
            Process p = start("kpat-operator", "dev.kpat.operator.OperatorMain", args, kubeconfig);
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(p.isAlive()).as("operator alive; stderr: %s", stderrOf("kpat-operator")).isTrue();
                    assertThat(status(http, "http://127.0.0.1:" + metricsPort + "/healthz")).isEqualTo(200);
                });
                PersonalAccessToken pat = new PersonalAccessToken();
                pat.setSpec(new PersonalAccessTokenSpec());
                pat.setMetadata(new ObjectMetaBuilder().withName("image-check").withNamespace("default").build());
                pat.getSpec().setOwner("alice");
                pat.getSpec().setScopes(List.of("read"));
                pat.getSpec().setTtl("1d");
                cluster.client().resource(pat).create();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    PersonalAccessToken now = cluster.client().resources(PersonalAccessToken.class)
                            .inNamespace("default").withName("image-check").get();
                    assertThat(now.getStatus()).isNotNull();
                    assertThat(now.getStatus().getPhase()).isEqualTo(Phase.Active);
                });
            } finally {
                stop(p);
            }
            assertThat(stderrOf("kpat-operator")).doesNotContain("Read-only file system");
        }
    }

    /**
     * The args of the chart's container for {@code component}: its API port ({@code --port}, or the operator's
     * {@code --metrics-port}) moved to {@code port}, the verifier's other ports to free ones.
     */
    private static List<String> containerArgs(String component, int port) throws Exception {
        String rendered = Helm.template(REPO.resolve("helm/kpat").toString()).withName(ChartRbac.RELEASE)
                .withNamespace(ChartRbac.NAMESPACE).call();
        List<String> args = new ArrayList<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(rendered).readAll()) {
            if (doc != null && "Deployment".equals(doc.path("kind").asText())
                    && doc.at("/metadata/name").asText().endsWith("-" + component)) {
                doc.at("/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
            }
        }
        assertThat(args).as("args of the chart's %s container", component).isNotEmpty();
        boolean operator = "operator".equals(component);
        int metrics = freePort();
        int http = freePort();
        return args.stream().map(a -> a.matches(operator ? "--metrics-port=.*" : "--port=.*")
                ? a.substring(0, a.indexOf('=') + 1) + port
                : a.startsWith("--metrics-port=") ? "--metrics-port=" + metrics
                : a.startsWith("--http-port=") ? "--http-port=" + http : a).toList();
    }

    private static Process start(String module, String mainClass, List<String> args, Path kubeconfig)
            throws IOException {
        Path jar = REPO.resolve(module + "/target/" + module + ".jar");
        assertThat(jar).as("the module's runnable jar (mvn package)").exists();
        List<String> command = new ArrayList<>(List.of("unshare", "-m", "sh", "-c", READ_ONLY_ROOT, "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", jar.toString(), mainClass));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile())
                .redirectOutput(kubeconfig.resolveSibling(module + ".stdout").toFile())
                .redirectError(kubeconfig.resolveSibling(module + ".stderr").toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().remove("KUBERNETES_SERVICE_HOST");
        return pb.start();
    }

    private static String stderrOf(String module) {
        try {
            return Files.readString(workDir().resolve(module + ".stderr"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    /** Under target/, since the process sees a fresh, empty /tmp. */
    private static Path outsideTmp(String name, String content) throws IOException {
        Files.createDirectories(workDir());
        return Files.writeString(workDir().resolve(name), content);
    }

    private static Path workDir() {
        return REPO.resolve("kpat-e2e/target/image-entrypoint");
    }

    private static int status(HttpClient client, String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Over HttpsURLConnection, which lets this check skip the host name: the certificate names the Service. */
    private static int httpsStatus(SSLContext tls, String url) {
        try {
            var c = (javax.net.ssl.HttpsURLConnection) URI.create(url).toURL().openConnection();
            c.setSSLSocketFactory(tls.getSocketFactory());
            c.setHostnameVerifier((host, session) -> true);
            c.setConnectTimeout(2_000);
            c.setReadTimeout(3_000);
            try {
                return c.getResponseCode();
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean canUnshare() {
        try {
            return new ProcessBuilder("unshare", "-m", "true").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The verifier's certificate is self-managed; this test checks that it serves, not whom it names. */
    private static SSLContext trustingAnyCertificate() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return context;
    }
}
