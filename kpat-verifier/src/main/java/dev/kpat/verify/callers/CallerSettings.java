package dev.kpat.verify.callers;

import java.nio.file.Path;
import java.util.List;

/**
 * Who may call the verifier's authenticated endpoints.
 *
 * @param clientCaFile                 PEM CA whose client certificates may call API-server-only routes; null for none
 * @param clientCertNames              allowed common names of those certificates; empty for any the CA signed
 * @param allowUnauthenticatedWebhooks serve API-server-only routes to anyone (no client CA); off by default
 * @param introspectionClientsSecret   [NAMESPACE/]NAME of the Secret of introspection clients; null for none
 * @param introspectionServiceAccounts ServiceAccounts ({@code namespace:name}) whose own tokens may introspect
 */
public record CallerSettings(
        Path clientCaFile,
        List<String> clientCertNames,
        boolean allowUnauthenticatedWebhooks,
        String introspectionClientsSecret,
        List<String> introspectionServiceAccounts) {

    public CallerSettings {
        clientCertNames = List.copyOf(clientCertNames);
        introspectionServiceAccounts = List.copyOf(introspectionServiceAccounts);
        if (clientCaFile != null && allowUnauthenticatedWebhooks) {
            throw new IllegalArgumentException("--client-ca-file and --allow-unauthenticated-webhook-callers exclude"
                    + " each other");
        }
    }

    /** Nobody: API-server-only routes and introspection answer 401. */
    public static CallerSettings none() {
        return new CallerSettings(null, List.of(), false, null, List.of());
    }

    public CallerSettings withClientCa(Path caFile, List<String> names) {
        return new CallerSettings(caFile, names, false, introspectionClientsSecret, introspectionServiceAccounts);
    }

    public CallerSettings withUnauthenticatedWebhooks() {
        return new CallerSettings(null, List.of(), true, introspectionClientsSecret, introspectionServiceAccounts);
    }

    public CallerSettings withIntrospectionClients(String secret, List<String> serviceAccounts) {
        return new CallerSettings(clientCaFile, clientCertNames, allowUnauthenticatedWebhooks, secret, serviceAccounts);
    }
}
