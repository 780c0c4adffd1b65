package dev.kpat.localcluster;

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
            "META-INF/kpat/crds/tokenrecords.kpat.dev-v1.yml",
            "META-INF/kpat/crds/tokenpolicies.kpat.dev-v1.yml",
            "META-INF/kpat/crds/clustertokenpolicies.kpat.dev-v1.yml");

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

    /**
     * Serves the discovery documents kubectl needs before it sends a request (the mock server has none of its own).
     * Both the plain paths and kubectl's {@code ?timeout=32s} variants are answered.
     */
    public void serveDiscovery() {
        String resource = "{\"name\":\"%s\",\"singularName\":\"%s\",\"namespaced\":%s,\"kind\":\"%s\","
                + "\"shortNames\":[%s],\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\","
                + "\"update\",\"watch\"]}";
        Map<String, String> docs = Map.of(
                "/api", "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}",
                "/apis", "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":\"kpat.dev\","
                        + "\"versions\":[{\"groupVersion\":\"kpat.dev/v1alpha1\",\"version\":\"v1alpha1\"}],"
                        + "\"preferredVersion\":{\"groupVersion\":\"kpat.dev/v1alpha1\",\"version\":\"v1alpha1\"}}]}",
                "/api/v1", "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
                        + resource.formatted("secrets", "secret", true, "Secret", "") + ","
                        + resource.formatted("events", "event", true, "Event", "\"ev\"") + ","
                        + resource.formatted("namespaces", "namespace", false, "Namespace", "\"ns\"") + "]}",
                "/apis/kpat.dev/v1alpha1", "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\","
                        + "\"groupVersion\":\"kpat.dev/v1alpha1\",\"resources\":["
                        + resource.formatted("personalaccesstokens", "personalaccesstoken", true, "PersonalAccessToken",
                        "\"pat\",\"pats\"") + ","
                        + resource.formatted("tokenrecords", "tokenrecord", false, "TokenRecord", "\"tokrec\"") + ","
                        + resource.formatted("tokenpolicies", "tokenpolicy", true, "TokenPolicy", "\"tokpol\"") + ","
                        + resource.formatted("clustertokenpolicies", "clustertokenpolicy", false, "ClusterTokenPolicy",
                        "\"ctokpol\"") + "]}");
        docs.forEach((path, body) -> {
            for (String p : List.of(path, path + "?timeout=32s")) {
                server.expect().get().withPath(p).andReturn(200, body)
                        .withHeader("Content-Type", "application/json").always();
            }
        });
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
