package dev.kpat.verify.callers;

import dev.kpat.verify.http.ClientCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The introspection clients, read from one Secret through a watch (each key a client id, its value the client's
 * secret), so adding or removing a client needs no restart. Only SHA-256 digests of the secrets are kept; a presented
 * secret is hashed and compared in constant time, and an unknown id costs the same comparison. Logs client ids,
 * never secrets.
 */
public final class IntrospectionClients implements ClientCredentials, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IntrospectionClients.class);
    private static final byte[] NO_CLIENT = new byte[32];

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private volatile Map<String, byte[]> digests = Map.of();
    private SharedIndexInformer<Secret> informer;

    public IntrospectionClients(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /** Starts the watch on the one Secret (a list and watch by name: RBAC may grant just that name). */
    public IntrospectionClients start() {
        informer = client.secrets().inNamespace(namespace).withName(name).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret s) {
                load(s);
            }

            @Override
            public void onUpdate(Secret old, Secret s) {
                load(s);
            }

            @Override
            public void onDelete(Secret s, boolean unknownFinalState) {
                digests = Map.of();
                LOG.warn("introspection clients Secret {}/{} deleted: introspection answers 401 to everyone",
                        namespace, name);
            }
        }, 0);
        if (digests.isEmpty()) {
            LOG.warn("introspection clients Secret {}/{} is missing or empty: introspection answers 401 until a client"
                    + " is added", namespace, name);
        }
        return this;
    }

    private void load(Secret secret) {
        Map<String, byte[]> next = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((id, value) -> {
                String clientSecret = value == null ? "" : stripNewline(new String(Base64.getDecoder().decode(value),
                        StandardCharsets.UTF_8));
                if (!clientSecret.isEmpty()) {
                    next.put(id, sha256(clientSecret));
                }
            });
        }
        if (secret.getStringData() != null) { // written as stringData where no API server converted it (a mock)
            secret.getStringData().forEach((id, value) -> {
                if (value != null && !stripNewline(value).isEmpty()) {
                    next.put(id, sha256(stripNewline(value)));
                }
            });
        }
        digests = Map.copyOf(next);
        LOG.info("introspection clients from Secret {}/{}: {}", namespace, name, new TreeSet<>(next.keySet()));
    }

    /** A value written with a trailing newline (kubectl create secret --from-file) means the same secret. */
    private static String stripNewline(String s) {
        return s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s.endsWith("\n") ? s.substring(0, s.length() - 1)
                : s;
    }

    @Override
    public boolean matches(String id, String secret) {
        byte[] expected = digests.get(id);
        boolean equal = MessageDigest.isEqual(expected == null ? NO_CLIENT : expected, sha256(secret));
        return equal && expected != null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.stop();
        }
    }
}
