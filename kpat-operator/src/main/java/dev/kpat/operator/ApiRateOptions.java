package dev.kpat.operator;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The client-side request rate flags of {@code run}, named as client-go's. */
public class ApiRateOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--kube-api-qps", defaultValue = "0", paramLabel = "QPS",
            description = "Requests per second the operator sends the API server at most, on average (Lease"
                    + " renewals exempt); 0 for no limit (default: ${DEFAULT-VALUE}).")
    double qps;

    @Option(names = "--kube-api-burst", defaultValue = "0", paramLabel = "N",
            description = "Requests that may go at once above --kube-api-qps after a quiet spell (default: twice"
                    + " the qps, at least 1).")
    int burst;

    /** Refuses a negative rate or burst as a usage error. */
    public void validate() {
        if (qps < 0 || Double.isNaN(qps) || Double.isInfinite(qps)) {
            throw new ParameterException(spec.commandLine(), "--kube-api-qps must be 0 (no limit) or positive");
        }
        if (burst < 0) {
            throw new ParameterException(spec.commandLine(), "--kube-api-burst must not be negative");
        }
    }

    public double qps() {
        return qps;
    }

    /** The burst given, or twice the rate. */
    public int burst() {
        return burst > 0 ? burst : (int) Math.max(1, Math.ceil(qps * 2));
    }

    /** The builder with these limits installed. */
    public KubernetesClientBuilder apply(KubernetesClientBuilder builder) {
        return ApiRequestRateLimit.install(builder, qps, burst());
    }
}
