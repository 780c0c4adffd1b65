package dev.kpat.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Who reports an Event, as client-go's recorder says it: {@code source.component} (what {@code kubectl describe} shows
 * under From), {@code reportingComponent} (the controller, a qualified name as events.k8s.io wants it) and
 * {@code reportingInstance} (which replica: the pod's name).
 */
public record EventReporter(String component, String controller, String instance) {
    /** The API's limit on {@code reportingInstance}. */
    static final int MAX_INSTANCE = 128;

    public static EventReporter operator() {
        return of("kpat-operator", "kpat.dev/operator", System.getenv());
    }

    public static EventReporter verifier() {
        return of("kpat-verifier", "kpat.dev/verifier", System.getenv());
    }

    /**
     * The instance is {@code POD_NAME} (the chart sets it from the downward API), else {@code HOSTNAME} (a pod's
     * hostname is its name unless the pod sets another), else the local host's name.
     */
    static EventReporter of(String component, String controller, Map<String, String> env) {
        String instance = nonBlank(env.get("POD_NAME"));
        if (instance == null) {
            instance = nonBlank(env.get("HOSTNAME"));
        }
        if (instance == null) {
            instance = localHostName();
        }
        return new EventReporter(component, controller,
                instance.length() > MAX_INSTANCE ? instance.substring(0, MAX_INSTANCE) : instance);
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
