package dev.kpat.scale;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * kube-apiserver's own count of the requests it served ({@code apiserver_request_total} on {@code /metrics}), summed
 * by verb and resource ({@code PATCH personalaccesstokens/status}); two snapshots diffed count what happened between.
 */
record ApiRequestCounts(Map<String, Long> byVerbAndResource) {
    private static final Pattern SAMPLE = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    static ApiRequestCounts scrape(KubernetesClient admin) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : admin.raw("/metrics").split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = LABEL.matcher(m.group(1)).results()
                    .collect(Collectors.toMap(r -> r.group(1), r -> r.group(2)));
            String resource = labels.getOrDefault("resource", "");
            String sub = labels.getOrDefault("subresource", "");
            String key = labels.get("verb") + " " + (resource.isEmpty() ? "(none)" : resource)
                    + (sub.isEmpty() ? "" : "/" + sub);
            counts.merge(key, (long) Double.parseDouble(m.group(2)), Long::sum);
        }
        return new ApiRequestCounts(counts);
    }

    /** What was counted since {@code before}, only the keys that grew. */
    ApiRequestCounts since(ApiRequestCounts before) {
        Map<String, Long> diff = new TreeMap<>();
        byVerbAndResource.forEach((k, v) -> {
            long d = v - before.byVerbAndResource.getOrDefault(k, 0L);
            if (d > 0) {
                diff.put(k, d);
            }
        });
        return new ApiRequestCounts(diff);
    }

    long total() {
        return byVerbAndResource.values().stream().mapToLong(Long::longValue).sum();
    }

    long of(String verbAndResource) {
        return byVerbAndResource.getOrDefault(verbAndResource, 0L);
    }

    /** Writes only: what changes stored state. */
    ApiRequestCounts writes() {
        return new ApiRequestCounts(byVerbAndResource.entrySet().stream()
                .filter(e -> e.getKey().matches("^(POST|PUT|PATCH|DELETE|DELETECOLLECTION|APPLY|CREATE|UPDATE) .*"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum, TreeMap::new)));
    }

    /** One line per key: count and count per {@code per} (per token, per minute). */
    String table(double per, String unit) {
        return byVerbAndResource.entrySet().stream()
                .map(e -> String.format("  %-48s %8d  %8.2f %s", e.getKey(), e.getValue(), e.getValue() / per, unit))
                .collect(Collectors.joining("\n"));
    }
}
