package dev.kpat.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forward-auth examples (Envoy ext_authz, ingress-nginx, Traefik) call what the chart really serves: the verifier
 * Service's name, namespace and plain-HTTP port as rendered for release {@code kpat} in {@code kpat-system} (the names
 * the examples use), and the forward-auth path. Parsed, not run: there is no Envoy binary here; the verifier answering
 * checks shaped as Envoy sends them is ObservabilityOnRealClusterTest's.
 */
class ForwardAuthExamplesTest {
    private static final Path EXAMPLES = Path.of("../examples");
    private static final Set<String> IDENTITY_HEADERS = Set.of("x-auth-request-user", "x-auth-request-scopes",
            "x-auth-token-id");
    private static String serviceHost;
    private static int httpPort;

    @BeforeAll
    static void render() {
        JsonNode service = Chart.one(Chart.kpat().objects(), "Service", "-verifier");
        serviceHost = service.at("/metadata/name").asText() + "." + service.at("/metadata/namespace").asText()
                + ".svc.cluster.local";
        httpPort = -1;
        for (JsonNode port : service.at("/spec/ports")) {
            if ("http".equals(port.path("name").asText())) {
                httpPort = port.path("port").asInt();
            }
        }
        assertThat(httpPort).as("the chart's plain-HTTP forward-auth port").isPositive();
    }

    private static JsonNode yaml(String file) throws IOException {
        return Chart.YAML.readTree(EXAMPLES.resolve(file).toFile());
    }

    @Test
    void envoysExtAuthzFiltersCallTheChartsForwardAuthPort() throws IOException {
        JsonNode envoy = yaml("envoy/envoy.yaml");
        JsonNode hcm = envoy.at("/static_resources/listeners/0/filter_chains/0/filters/0/typed_config");
        assertThat(hcm.path("normalize_path").asBoolean()).as("the path checked is the path routed").isTrue();
        List<String> kpatFilters = new ArrayList<>();
        for (JsonNode filter : hcm.path("http_filters")) {
            JsonNode config = filter.path("typed_config");
            if (!config.path("@type").asText().endsWith("ext_authz.v3.ExtAuthz")) {
                continue;
            }
            kpatFilters.add(filter.path("name").asText());
            assertThat(config.path("failure_mode_allow").asBoolean()).isFalse();
            JsonNode http = config.path("http_service");
            assertThat(http.path("path_prefix").asText()).isEqualTo("/v1/auth");
            URI uri = URI.create(http.at("/server_uri/uri").asText());
            assertThat(uri.getScheme()).isEqualTo("http");
            assertThat(uri.getHost()).isEqualTo(serviceHost);
            assertThat(uri.getPort()).isEqualTo(httpPort);
            JsonNode cluster = cluster(envoy, http.at("/server_uri/cluster").asText());
            JsonNode address = cluster.at("/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address");
            assertThat(address.path("address").asText()).isEqualTo(serviceHost);
            assertThat(address.path("port_value").asInt()).isEqualTo(httpPort);
            assertThat(http.at("/authorization_request/headers_to_add/0/key").asText()).isEqualTo("X-Kpat-Scope");
            assertThat(http.at("/authorization_request/headers_to_add/0/value").asText()).isNotBlank();
            assertThat(exacts(http.at("/authorization_response/allowed_upstream_headers/patterns")))
                    .isEqualTo(IDENTITY_HEADERS);
            assertThat(exacts(http.at("/authorization_response/allowed_client_headers/patterns")))
                    .contains("www-authenticate");
        }
        assertThat(kpatFilters).hasSize(2);
        // every route of the app leaves exactly one scope's filter on, except the health route, which turns all off
        for (JsonNode route : hcm.at("/route_config/virtual_hosts/0/routes")) {
            Set<String> off = new HashSet<>();
            route.path("typed_per_filter_config").fields().forEachRemaining(e -> {
                if (e.getValue().path("disabled").asBoolean()) {
                    off.add(e.getKey());
                }
            });
            assertThat(kpatFilters).containsAll(off);
            int on = kpatFilters.size() - off.size();
            assertThat(on).as(route.toString()).isEqualTo(route.at("/match/prefix").asText().equals("/healthz")
                    ? 0 : 1);
        }
    }

    @Test
    void ingressNginxAndTraefikCallTheChartsForwardAuthPort() throws IOException {
        URI nginx = URI.create(yaml("verifier/ingress-nginx.yaml")
                .at("/metadata/annotations/nginx.ingress.kubernetes.io~1auth-url").asText());
        URI traefik = URI.create(yaml("verifier/traefik-forwardauth.yaml").at("/spec/forwardAuth/address").asText());
        for (URI uri : List.of(nginx, traefik)) {
            assertThat(uri.getScheme()).isEqualTo("http");
            assertThat(uri.getHost()).isEqualTo(serviceHost);
            assertThat(uri.getPort()).isEqualTo(httpPort);
            assertThat(uri.getPath()).isEqualTo("/v1/auth");
            assertThat(uri.getQuery()).startsWith("scope=");
        }
        assertThat(Set.of(yaml("verifier/ingress-nginx.yaml")
                .at("/metadata/annotations/nginx.ingress.kubernetes.io~1auth-response-headers").asText().toLowerCase()
                .split(","))).isEqualTo(IDENTITY_HEADERS);
        Set<String> traefikHeaders = new HashSet<>();
        yaml("verifier/traefik-forwardauth.yaml").at("/spec/forwardAuth/authResponseHeaders")
                .forEach(h -> traefikHeaders.add(h.asText().toLowerCase()));
        assertThat(traefikHeaders).isEqualTo(IDENTITY_HEADERS);
    }

    private static JsonNode cluster(JsonNode envoy, String name) {
        for (JsonNode c : envoy.at("/static_resources/clusters")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no cluster " + name);
    }

    private static Set<String> exacts(JsonNode patterns) {
        Set<String> out = new HashSet<>();
        patterns.forEach(p -> out.add(p.path("exact").asText()));
        return out;
    }
}
