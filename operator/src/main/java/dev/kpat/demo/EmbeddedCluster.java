package dev.kpat.demo;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * An in-process Kubernetes API: the Fabric8 mock server in CRUD mode, with kpat's CRDs installed. Used by the demo
 * and by tests. It has no server-side apply, garbage collection, schema validation or admission, so kpat deletes
 * what it owns explicitly and validates specs itself as well.
 */
public final class EmbeddedCluster implements AutoCloseable {
    /** The CRDs generated from the Java model, packaged in the jar by the build. */
    public static final List<String> CRD_RESOURCES = List.of(
            "META-INF/kpat/crds/personalaccesstokens.kpat.dev-v1.yml",
            "META-INF/kpat/crds/tokenrecords.kpat.dev-v1.yml");

    /** The mock server logs every request at INFO through java.util.logging; held here so the level sticks. */
    private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final KubernetesMockServer server;
    private KubernetesClient client;

    public EmbeddedCluster() {
        this.server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
    }

    /** Starts the API on a free loopback port and installs the CRDs. */
    public EmbeddedCluster start() {
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        for (String resource : CRD_RESOURCES) {
            installCrd(resource);
        }
        return this;
    }

    /** Installs one more CRD from the classpath (later features ship their own). */
    public void installCrd(String resource) {
        try (InputStream in = EmbeddedCluster.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("CRD " + resource + " is not on the classpath (run the Maven build)");
            }
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    public KubernetesClient client() {
        return client;
    }

    public KubernetesMockServer server() {
        return server;
    }

    /** The API server's URL, for a kubeconfig. */
    public String url() {
        return server.url("/").replaceAll("/$", "");
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        server.destroy();
    }
}
