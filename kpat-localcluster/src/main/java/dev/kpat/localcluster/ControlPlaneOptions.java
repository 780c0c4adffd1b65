package dev.kpat.localcluster;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to start the local control plane.
 *
 * @param apiPort              the API server's HTTPS port on 127.0.0.1; 0 picks a free one
 * @param dataDir              where etcd data, certificates, logs and kubeconfigs go; null: a temporary directory,
 *                             removed on stop
 * @param install              install kpat's CRDs and admission policy once the API server is ready
 * @param tokenWebhook         URL of a TokenReview webhook (the kpat verifier), or null
 * @param authorizationWebhook URL of a SubjectAccessReview webhook, or null; placed before RBAC
 * @param webhookCa            PEM bundle the API server trusts for the webhooks; null: the local CA
 * @param webhookCacheTtl      how long the API server caches webhook answers
 */
public record ControlPlaneOptions(int apiPort, Path dataDir, boolean install, URI tokenWebhook,
                                  URI authorizationWebhook, Path webhookCa, Duration webhookCacheTtl) {
    /** How long the API server reuses a webhook's answer ({@code --authentication-token-webhook-cache-ttl}). */
    public static final Duration DEFAULT_WEBHOOK_CACHE_TTL = Duration.ofSeconds(5);
    /**
     * kube-apiserver also caches every successful token authentication for 10 s on top of the webhook's cache (a
     * fixed default, no flag), so a revoked or expired token is refused at most
     * max(webhook cache TTL, this) after the verifier refuses it.
     */
    public static final Duration APISERVER_TOKEN_SUCCESS_CACHE_TTL = Duration.ofSeconds(10);

    public static ControlPlaneOptions defaults() {
        return new ControlPlaneOptions(0, null, true, null, null, null, DEFAULT_WEBHOOK_CACHE_TTL);
    }

    public ControlPlaneOptions withWebhooks(URI tokenWebhook, URI authorizationWebhook, Path webhookCa) {
        return new ControlPlaneOptions(apiPort, dataDir, install, tokenWebhook, authorizationWebhook, webhookCa,
                webhookCacheTtl);
    }

    public ControlPlaneOptions withApiPort(int port) {
        return new ControlPlaneOptions(port, dataDir, install, tokenWebhook, authorizationWebhook, webhookCa,
                webhookCacheTtl);
    }
}
