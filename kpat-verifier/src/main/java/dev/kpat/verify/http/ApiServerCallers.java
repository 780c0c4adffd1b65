package dev.kpat.verify.http;

import io.vertx.ext.web.RoutingContext;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Who may call the routes only the Kubernetes API server calls (TokenReview, and any later webhook): by default
 * nobody, since an open TokenReview endpoint tells anyone who a token belongs to; with a client CA, callers with a
 * certificate it signed (the TLS layer verifies the chain; this checks that one was presented and, optionally, its
 * common name); or, when explicitly allowed, anyone. Callers admitted by certificate are trusted: they relay other
 * people's tokens, so their failures are not limited by their address.
 */
public final class ApiServerCallers {
    private enum Mode { NOBODY, CLIENT_CERTIFICATES, ANYONE }

    private final Mode mode;
    private final Set<String> allowedNames;

    private ApiServerCallers(Mode mode, List<String> allowedNames) {
        this.mode = mode;
        this.allowedNames = Set.copyOf(allowedNames);
    }

    /** No client CA and no explicit opt-out: API-server-only routes answer 401 to everyone. */
    public static ApiServerCallers nobody() {
        return new ApiServerCallers(Mode.NOBODY, List.of());
    }

    /**
     * Callers presenting a certificate the server's client CA signed (the server must request client certificates
     * and trust only that CA); {@code allowedNames} empty means any such certificate, else its CN must be listed.
     */
    public static ApiServerCallers clientCertificates(List<String> allowedNames) {
        return new ApiServerCallers(Mode.CLIENT_CERTIFICATES, allowedNames);
    }

    /** {@code --allow-unauthenticated-webhook-callers}: anyone, limited by address like any open caller. */
    public static ApiServerCallers anyone() {
        return new ApiServerCallers(Mode.ANYONE, List.of());
    }

    public boolean requestsClientCertificates() {
        return mode == Mode.CLIENT_CERTIFICATES;
    }

    /** Puts the caller on the request and continues, or answers 401/403 (counted as a refusal). */
    void handle(RoutingContext ctx, Decisions decisions, String endpoint) {
        String address = decisions.address(ctx);
        switch (mode) {
            case ANYONE -> {
                ctx.put(Caller.CONTEXT_KEY, Caller.open(address));
                ctx.next();
            }
            case NOBODY -> refuse(ctx, decisions, endpoint, 401, "this endpoint is for the Kubernetes API server:"
                    + " start the verifier with --client-ca-file (or --allow-unauthenticated-webhook-callers)");
            case CLIENT_CERTIFICATES -> {
                X509Certificate leaf = verifiedLeaf(ctx);
                if (leaf == null) {
                    refuse(ctx, decisions, endpoint, 401, "a client certificate signed by the client CA is required");
                } else if (!allowedNames.isEmpty() && !allowedNames.contains(commonName(leaf))) {
                    refuse(ctx, decisions, endpoint, 403, "this client certificate's name is not allowed");
                } else {
                    ctx.put(Caller.CONTEXT_KEY, Caller.trusted(address));
                    ctx.next();
                }
            }
        }
    }

    private static void refuse(RoutingContext ctx, Decisions decisions, String endpoint, int status, String reason) {
        ctx.put(Caller.CONTEXT_KEY, Caller.open(decisions.address(ctx)));
        decisions.reject(ctx, endpoint, status, reason);
    }

    /** The leaf of a chain the TLS handshake verified against the client CA; null when none was presented. */
    private static X509Certificate verifiedLeaf(RoutingContext ctx) {
        SSLSession session = ctx.request().isSSL() ? ctx.request().sslSession() : null;
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    static String commonName(X509Certificate cert) {
        RDN[] cns = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        return cns.length == 0 ? "" : IETFUtils.valueToString(cns[0].getFirst().getValue());
    }
}
