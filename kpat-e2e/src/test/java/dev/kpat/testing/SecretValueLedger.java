package dev.kpat.testing;

import dev.kpat.api.Labels;
import dev.kpat.token.TokenHash;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hash of every value seen in one namespace's kpat Secrets over a whole run, per token (the Secret's
 * {@code kpat.dev/token-name}), from an informer: what a record's value must have been in before it authenticates,
 * and the evidence that no value was issued twice (to two tokens, or to one token again after it was replaced).
 * Values are hashed as they arrive and never kept.
 */
public final class SecretValueLedger implements AutoCloseable {
    private final SharedIndexInformer<Secret> informer;
    /** Per token, the hashes its Secret held, in the order they appeared. */
    private final Map<String, List<String>> history = new HashMap<>();
    /** Which token's Secret held a hash first. */
    private final Map<String, String> firstHolder = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    private SecretValueLedger(KubernetesClient client, String namespace) {
        this.informer = client.secrets().inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Secret secret) {
                        seen(secret);
                    }

                    @Override
                    public void onUpdate(Secret before, Secret secret) {
                        seen(secret);
                    }

                    @Override
                    public void onDelete(Secret secret, boolean finalStateUnknown) {
                        // a deleted Secret's value was seen when it was written
                    }
                }, 0);
    }

    /** Starts watching the namespace's kpat Secrets; returns once the informer has synced. */
    public static SecretValueLedger watch(KubernetesClient client, String namespace) {
        return new SecretValueLedger(client, namespace);
    }

    private synchronized void seen(Secret secret) {
        String token = tokenOf(secret);
        String hash = hashIn(secret);
        if (token == null || hash == null) {
            return;
        }
        List<String> held = history.computeIfAbsent(token, t -> new ArrayList<>());
        if (!held.isEmpty() && held.get(held.size() - 1).equals(hash)) {
            return; // the same value, other fields changed
        }
        String first = firstHolder.putIfAbsent(hash, token);
        if (first != null && !first.equals(token)) {
            violations.add("the Secret of " + token + " holds a value seen before in the Secret of " + first);
        } else if (held.contains(hash)) {
            violations.add("the Secret of " + token + " holds again a value it held before (value " + (held.indexOf(
                    hash) + 1) + " of " + held.size() + ")");
        }
        held.add(hash);
    }

    /** The hashes of every value seen in the token's Secret. */
    public synchronized Set<String> hashesSeenFor(String token) {
        return new LinkedHashSet<>(history.getOrDefault(token, List.of()));
    }

    /** How many distinct values were seen in all Secrets. */
    public synchronized int values() {
        return firstHolder.size();
    }

    /** A value seen in two tokens' Secrets, or in one token's Secret again after another replaced it. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() {
        informer.close();
    }

    /** The token a kpat Secret belongs to. */
    static String tokenOf(Secret secret) {
        var annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Labels.TOKEN_NAME);
    }

    /** The hash of the value in a Secret, or null when it holds none. */
    static String hashIn(Secret secret) {
        String encoded = secret.getData() == null ? null : secret.getData().get(Labels.SECRET_KEY);
        if (encoded == null || encoded.isEmpty()) {
            return null;
        }
        return TokenHash.of(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
    }
}
