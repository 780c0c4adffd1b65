package dev.kpat.testing;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Notes every request a client sends that the API server refuses to authenticate (401) or authorize (403), watches
 * included: method and path only, never a body. Installed on the operator's client to prove its RBAC is enough.
 */
public final class DeniedRequests implements Interceptor {
    private final List<String> denied = new CopyOnWriteArrayList<>();

    /** Adds this to a client's HTTP stack (see {@link ChartRbac#operatorClient(Consumer)}). */
    public Consumer<HttpClient.Builder> installer() {
        return b -> b.addOrReplaceInterceptor(DeniedRequests.class.getSimpleName(), this);
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        int code = response.code();
        if (code == 401 || code == 403) {
            String query = request.uri().getRawQuery();
            denied.add(code + " " + request.method() + " " + request.uri().getRawPath() + (query == null ? ""
                    : "?" + query));
        }
    }

    /** What was denied so far, in order. */
    public List<String> denied() {
        return List.copyOf(denied);
    }

    public void clear() {
        denied.clear();
    }
}
