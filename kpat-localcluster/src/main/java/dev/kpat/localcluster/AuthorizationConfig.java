package dev.kpat.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The API server's structured authorization configuration for the kpat verifier: the shipped example
 * ({@code examples/verifier/authorization-config.yaml}, packaged in the jar), with this machine's webhook kubeconfig
 * and cache TTLs, so the tests run exactly what users are told to configure (fail closed, kpat tokens only).
 */
final class AuthorizationConfig {
    static final String EXAMPLE = "kpat/examples/verifier/authorization-config.yaml";
    private static final String EXAMPLE_KUBECONFIG = "/etc/kubernetes/kpat/authorization-webhook.kubeconfig";

    private AuthorizationConfig() {
    }

    static String forWebhook(Path kubeconfig, String cacheTtl) {
        String example = example();
        if (!example.contains(EXAMPLE_KUBECONFIG) || !example.contains("authorizedTTL: 10s")) {
            throw new IllegalStateException(EXAMPLE + " no longer has the kubeConfigFile and TTLs this code replaces");
        }
        // "authorizedTTL: 10s" also matches inside "unauthorizedTTL: 10s": one replace sets both
        return example.replace(EXAMPLE_KUBECONFIG, kubeconfig.toString())
                .replace("authorizedTTL: 10s", "authorizedTTL: " + cacheTtl)
                // no kubelets here: the Node authorizer has nothing to authorize
                .replace("  - type: Node\n    name: node\n", "");
    }

    private static String example() {
        try (InputStream in = AuthorizationConfig.class.getClassLoader().getResourceAsStream(EXAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(EXAMPLE + " is not in the jar (run the Maven build)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
