package dev.kpat.runtime;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;

/**
 * How the long-running commands ({@code run}, {@code verifier}) start: they find the cluster, check that its API
 * answers, and turn any failure before they are up into ONE line on stderr and exit code 1, never a stack trace.
 */
public final class Startup {
    public static final int FAILED = 1;
    private static final int PROBE_CONNECT_MILLIS = 5_000;
    private static final int PROBE_REQUEST_MILLIS = 10_000;
    private static final int PROBE_ATTEMPTS = 5;
    private static final long PROBE_FIRST_PAUSE_MILLIS = 500;

    private Startup() {
    }

    /** A startup failure whose message is already the line to print. */
    public static final class Failure extends RuntimeException {
        public Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** Something that starts and must be closed again when a later step fails. */
    public interface Step<T> {
        T call() throws Exception;
    }

    /**
     * Runs a command's startup: any exception becomes {@code kpat: <what went wrong>} on {@code err} and exit code
     * {@link #FAILED}; whatever was registered with {@code started} is closed first, newest first.
     */
    public static int run(PrintWriter err, List<AutoCloseable> started, Step<Integer> body) {
        try {
            return body.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(started);
            err.println("kpat: interrupted while starting");
            err.flush();
            return FAILED;
        } catch (Exception | LinkageError e) {
            closeAll(started);
            err.println("kpat: " + describe(e));
            err.flush();
            return FAILED;
        }
    }

    private static void closeAll(List<AutoCloseable> started) {
        List<AutoCloseable> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception | LinkageError ignored) {
                // closing after a failure is best effort: the failure is what gets reported
            }
        }
    }

    /**
     * The client for the current kubeconfig or in-cluster configuration, after a {@code /version} call has shown
     * the API answers and {@link #requireAccess} has found the permissions {@code needed} (a probe client with
     * short timeouts and no retries makes these calls).
     *
     * @throws Failure naming the missing configuration, the unreachable server or the missing permissions
     */
    public static KubernetesClient connect(List<Access> needed, String hint) {
        return connect(needed, hint, UnaryOperator.identity());
    }

    /**
     * As {@link #connect(List, String)}, the client returned built with {@code customize} applied (e.g. a
     * client-side request rate limit; the probe client does without it).
     */
    public static KubernetesClient connect(List<Access> needed, String hint,
                                           UnaryOperator<KubernetesClientBuilder> customize) {
        Config config = Config.autoConfigure(null);
        if (config.getFile() == null && System.getenv(Config.KUBERNETES_SERVICE_HOST_PROPERTY) == null
                && System.getenv("KUBERNETES_MASTER") == null
                && System.getProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY) == null) {
            throw new Failure("no Kubernetes configuration: no kubeconfig at " + String.join(", ",
                    Config.getKubeconfigFilenames()) + " and not running in a cluster (set KUBECONFIG)");
        }
        String server = config.getMasterUrl();
        Config probeConfig = new ConfigBuilder(config).withConnectionTimeout(PROBE_CONNECT_MILLIS)
                .withRequestTimeout(PROBE_REQUEST_MILLIS).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(probeConfig).build()) {
            awaitVersion(probe, server, PROBE_ATTEMPTS, PROBE_FIRST_PAUSE_MILLIS);
            requireAccess(probe, needed, hint);
        }
        return customize.apply(new KubernetesClientBuilder().withConfig(config)).build();
    }

    /**
     * Calls {@code /version} until it answers. An answer that says "later" (429, or 5xx from an API server that is
     * starting or overloaded) is retried {@code attempts} times in all, pauses doubling from {@code firstPauseMillis}:
     * exiting on one would only trade it for a restart with a kubelet's back-off. No answer at all, or any other
     * status, fails at once: retrying would not change it, and the one line says why.
     *
     * @throws Failure naming the server and the last answer
     */
    static void awaitVersion(KubernetesClient probe, String server, int attempts, long firstPauseMillis) {
        long pause = firstPauseMillis;
        for (int attempt = 1; ; attempt++) {
            try {
                probe.getKubernetesVersion();
                return;
            } catch (RuntimeException e) {
                if (attempt >= attempts || !saysLater(e)) {
                    throw new Failure(describe(e, server));
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted while waiting for the Kubernetes API at " + server);
            }
            pause *= 2;
        }
    }

    private static boolean saysLater(RuntimeException e) {
        for (Throwable t : chain(e)) {
            if (t instanceof KubernetesClientException k && (k.getCode() == 429 || k.getCode() >= 500)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A permission a command needs: a verb on a resource of an API group ("" for the core group), cluster-wide or,
     * with a namespace, in that namespace.
     */
    public record Access(String verb, String group, String resource, String namespace) {
        public Access(String verb, String group, String resource) {
            this(verb, group, resource, "");
        }

        public static List<Access> listAndWatch(String group, String... resources) {
            List<Access> out = new ArrayList<>();
            for (String r : resources) {
                out.add(new Access("list", group, r));
                out.add(new Access("watch", group, r));
            }
            return out;
        }

        /** The same permission in {@code ns} ("" for cluster-wide). */
        public Access in(String ns) {
            return new Access(verb, group, resource, ns);
        }

        String qualifiedResource() {
            return resource + (group.isEmpty() ? "" : "." + group);
        }

        String where() {
            return namespace.isEmpty() ? "cluster-wide" : "in namespace " + namespace;
        }
    }

    /**
     * Asks the API (SelfSubjectAccessReview) whether the credentials in use have every permission in {@code needed},
     * before any informer starts: a missing one is named in one line instead of surfacing as a watch failure. An API
     * that cannot answer the review (an old or embedded server) is not held against the command.
     *
     * @throws Failure listing what is denied, and {@code hint} on where the permissions come from
     */
    private static void requireAccess(KubernetesClient client, List<Access> needed, String hint) {
        // verbs denied, by resource and where, in the order asked: "list/watch secrets cluster-wide"
        Map<String, List<String>> denied = new LinkedHashMap<>();
        for (Access a : needed) {
            SelfSubjectAccessReview review;
            try {
                review = client.resource(new SelfSubjectAccessReviewBuilder().withNewSpec()
                        .withNewResourceAttributes().withVerb(a.verb()).withGroup(a.group())
                        .withResource(a.resource()).withNamespace(a.namespace().isEmpty() ? null : a.namespace())
                        .endResourceAttributes().endSpec().build()).create();
            } catch (KubernetesClientException e) {
                return; // the review itself is refused: the command's own start will tell what is missing
            }
            if (review == null || review.getStatus() == null || review.getStatus().getAllowed() == null) {
                return;
            }
            if (!review.getStatus().getAllowed()) {
                denied.computeIfAbsent(a.qualifiedResource() + "\0" + a.where(), k -> new ArrayList<>())
                        .add(a.verb());
            }
        }
        if (!denied.isEmpty()) {
            // "list/watch secrets, serviceaccounts cluster-wide": resources denied in the same place share it
            Map<String, List<String>> byWhere = new LinkedHashMap<>();
            denied.forEach((key, verbs) -> byWhere.computeIfAbsent(key.substring(key.indexOf('\0') + 1),
                    k -> new ArrayList<>()).add(String.join("/", verbs) + " " + key.substring(0, key.indexOf('\0'))));
            List<String> what = new ArrayList<>();
            byWhere.forEach((where, denials) -> what.add(String.join(", ", denials) + " " + where));
            throw new Failure("the credentials in use may not " + String.join("; ", what)
                    + " (the API would answer HTTP 403 Forbidden); " + hint);
        }
    }

    public static String describe(Throwable e) {
        return describe(e, null);
    }

    /** One line naming the cause: the unreachable server, the HTTP status and resource, or the deepest message. */
    public static String describe(Throwable e, String server) {
        List<Throwable> chain = chain(e);
        for (Throwable t : chain) {
            if (t instanceof Failure) {
                return t.getMessage();
            }
        }
        for (Throwable t : chain) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                // leader election starts by checking its rights on Leases with a SelfSubjectRulesReview
                boolean lease = "leases".equals(k.getResourcePlural())
                        || "selfsubjectrulesreviews".equals(k.getResourcePlural());
                return (lease ? "leader election: " : "") + "the Kubernetes API answered HTTP " + k.getCode()
                        + resource(k) + ": " + statusMessage(k);
            }
        }
        for (Throwable t : chain) {
            if (isUnreachable(t)) {
                return "cannot reach the Kubernetes API" + (server == null ? "" : " at " + server) + ": "
                        + reason(t);
            }
        }
        Throwable deepest = chain.get(chain.size() - 1);
        for (Throwable t : chain) {
            // the outermost message that says something of its own (wrappers often repeat their cause)
            if (t.getMessage() != null && !t.getMessage().isBlank() && (t.getCause() == null
                    || !t.getMessage().equals(String.valueOf(t.getCause())))) {
                String own = oneLine(t.getMessage());
                String cause = deepest == t ? "" : reason(deepest);
                return cause.isEmpty() || own.contains(cause) ? own : own + ": " + cause;
            }
        }
        return reason(deepest);
    }

    /** Whether {@code t} says the server could not be reached at all (no HTTP answer). */
    public static boolean isUnreachable(Throwable t) {
        return t instanceof ConnectException || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
                || t instanceof TimeoutException || t instanceof UnresolvedAddressException
                || t instanceof SSLException;
    }

    private static String resource(KubernetesClientException k) {
        if (k.getResourcePlural() == null) {
            return "";
        }
        String kind = k.getResourcePlural() + (k.getGroup() == null || k.getGroup().isEmpty() ? ""
                : "." + k.getGroup());
        return " for " + kind + (k.getName() == null ? "" : " \"" + k.getName() + "\"")
                + (k.getNamespace() == null ? "" : " in namespace " + k.getNamespace());
    }

    private static String statusMessage(KubernetesClientException k) {
        if (k.getStatus() != null && k.getStatus().getMessage() != null) {
            return oneLine(k.getStatus().getMessage());
        }
        return reason(k);
    }

    /** A short reason: the message, or the exception's simple name when it has none. */
    private static String reason(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : oneLine(m);
    }

    public static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    public static List<Throwable> chain(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            out.add(t);
        }
        return out;
    }
}
