package dev.kpat.localcluster;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** kubeconfig documents with the credentials embedded, readable by kubectl, Fabric8 and the API server's webhooks. */
final class Kubeconfigs {
    private Kubeconfigs() {
    }

    /** A kubeconfig for {@code server} trusting {@code caPem}, authenticating with a client certificate. */
    static String withClientCertificate(String server, String caPem, String user, Pki.KeyAndCert credentials) {
        return document(server, caPem, user, """
                    client-certificate-data: %s
                    client-key-data: %s
                """.formatted(b64(credentials.certPem()), b64(credentials.keyPem())));
    }

    /** A kubeconfig for {@code server} trusting {@code caPem}, authenticating with a bearer token. */
    static String withToken(String server, String caPem, String user, String token) {
        return document(server, caPem, user, "    token: " + token + "\n");
    }

    /** A kubeconfig for {@code server} trusting {@code caPem} with no credentials: for {@code kubectl --token}. */
    static String withoutCredentials(String server, String caPem) {
        return document(server, caPem, "anonymous", "    {}\n");
    }

    private static String document(String server, String caPem, String user, String credentials) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kpat-local
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                %scontexts:
                - name: kpat-local
                  context:
                    cluster: kpat-local
                    user: %s
                    namespace: default
                current-context: kpat-local
                """.formatted(server, b64(caPem), quoted(user), credentials, quoted(user));
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String b64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }
}
