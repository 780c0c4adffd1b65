package dev.kpat.scale;

import dev.kpat.api.LabelValues;
import dev.kpat.api.Labels;
import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The least the API server must do to bring a token to Active, as the operator does it, with nothing else: for each
 * PersonalAccessToken, the writes the operator makes (counted on kube-apiserver in the same run), issued blindly by a
 * Fabric8 client as the operator's ServiceAccount, each object copied from one the operator wrote (same size), with
 * no reads, no decisions and no retries. Several tokens at once, as many as the operator reconciles at once.
 */
final class WriteFloor {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;
    private final TokenRecord recordTemplate;
    private final Secret secretTemplate;
    private final Map<String, Object> statusTemplate;
    private final Event eventTemplate;

    /** Templates: what the operator wrote for one converged token. */
    WriteFloor(KubernetesClient client, TokenRecord record, Secret secret, PersonalAccessToken pat, Event event) {
        this.client = client;
        this.recordTemplate = record;
        this.secretTemplate = secret;
        this.statusTemplate = Map.of("status", Serialization.jsonMapper().convertValue(pat.getStatus(), Map.class));
        this.eventTemplate = event;
    }

    /** Brings every token given to its stored Active state, {@code concurrency} at a time. */
    void run(List<PersonalAccessToken> pats, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (PersonalAccessToken pat : pats) {
                done.add(pool.submit(() -> {
                    write(pat);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void write(PersonalAccessToken pat) {
        String ns = pat.getMetadata().getNamespace();
        String name = pat.getMetadata().getName();
        String uid = pat.getMetadata().getUid();
        String patPath = "apis/kpat.dev/v1alpha1/namespaces/" + ns + "/personalaccesstokens/" + name;
        // the finalizer
        mergePatch(patPath, "{\"metadata\":{\"finalizers\":[\"" + Labels.FINALIZER + "\"]}}");
        // the pending record
        String tokenId = "f" + hex(12);
        TokenRecord record = Serialization.clone(recordTemplate);
        record.setMetadata(meta(recordTemplate.getMetadata(), tokenId, null));
        record.getMetadata().getLabels().putAll(Map.of(Labels.PAT_UID, LabelValues.of(uid),
                Labels.PAT_NAMESPACE, LabelValues.of(ns), Labels.PAT_NAME, LabelValues.of(name)));
        record.getMetadata().getAnnotations().put(Labels.PAT_NAME, name);
        record.getSpec().setHash(sameShape(recordTemplate.getSpec().getHash()));
        record.getSpec().getTokenRef().setNamespace(ns);
        record.getSpec().getTokenRef().setName(name);
        record.getSpec().getTokenRef().setUid(uid);
        record.getSpec().setPending(true);
        record.setStatus(null);
        client.resource(record).create();
        // the Secret
        Secret secret = new SecretBuilder(secretTemplate)
                .withMetadata(meta(secretTemplate.getMetadata(), pat.secretName(), ns))
                .withData(Map.of(Labels.SECRET_KEY, Base64.getEncoder().encodeToString(
                        sameShape(new String(Base64.getDecoder().decode(secretTemplate.getData()
                                .get(Labels.SECRET_KEY)))).getBytes())))
                .build();
        secret.getMetadata().getAnnotations().put(Labels.TOKEN_ID_ANNOTATION, tokenId);
        secret.getMetadata().getAnnotations().put(Labels.PAT_NAME, name);
        secret.getMetadata().getLabels().put(Labels.PAT_NAME, LabelValues.of(name));
        secret.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("kpat.dev/v1alpha1")
                .withKind("PersonalAccessToken").withName(name).withUid(uid).withController(true)
                .withBlockOwnerDeletion(true).build()));
        client.resource(secret).create();
        // the record activated
        mergePatch("apis/kpat.dev/v1alpha1/tokenrecords/" + tokenId, "{\"spec\":{\"pending\":null}}");
        // status
        Map<String, Object> status = new HashMap<>(castMap(statusTemplate.get("status")));
        status.put("tokenId", tokenId);
        mergePatch(patPath + "/status", Serialization.asJson(Map.of("status", status)));
        // the Issued Event
        Event event = Serialization.clone(eventTemplate);
        event.setMetadata(meta(eventTemplate.getMetadata(), name + "." + hex(8), ns));
        event.setInvolvedObject(new ObjectReferenceBuilder(eventTemplate.getInvolvedObject()).withNamespace(ns)
                .withName(name).withUid(uid).withResourceVersion(null).build());
        client.v1().events().inNamespace(ns).resource(event).create();
    }

    /** One PATCH request, nothing else (Fabric8's patch of a named resource reads it first). */
    private void mergePatch(String path, String body) {
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder().uri(client.getMasterUrl().toString().replaceAll("/$", "")
                + "/" + path).method("PATCH", "application/merge-patch+json", body).build();
        try {
            HttpResponse<String> response = http.sendAsync(request, String.class).get(60, TimeUnit.SECONDS);
            if (!response.isSuccessful()) {
                throw new AssertionError("PATCH " + path + ": HTTP " + response.code());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("PATCH " + path, e);
        }
    }

    private static ObjectMeta meta(ObjectMeta template, String name, String namespace) {
        ObjectMeta m = new ObjectMeta();
        m.setName(name);
        m.setNamespace(namespace);
        m.setLabels(template.getLabels() == null ? new HashMap<>() : new HashMap<>(template.getLabels()));
        m.setAnnotations(template.getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(template.getAnnotations()));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** A random string of the same form: hex digits and letters replaced by random ones. */
    private static String sameShape(String template) {
        StringBuilder out = new StringBuilder(template.length());
        for (char c : template.toCharArray()) {
            if (c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
                out.append(Character.forDigit(RANDOM.nextInt(16), 16));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String hex(int length) {
        return sameShape("0".repeat(length));
    }
}
