package dev.kpat.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * The Java Operator SDK's Micrometer metrics ({@code reconciliations_*}, {@code events_received_total},
 * {@code custom_resources}), with one difference: a reconciler's exception reaches the SDK's error handling as thrown.
 * {@link MicrometerMetricsV2} times an execution inside a lambda that wraps whatever the reconciler throws in an
 * {@link OperatorException}, so the status written for a failed reconcile would name that wrapper instead of, say,
 * the API's HTTP 422.
 */
public final class ReconcileMetrics implements Metrics {
    private final Metrics delegate;

    public ReconcileMetrics(MeterRegistry registry) {
        this.delegate = MicrometerMetricsV2.newBuilder(registry).build();
    }

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
        Exception[] thrown = new Exception[1];
        try {
            return delegate.timeControllerExecution(new ControllerExecution<T>() {
                @Override
                public String name() {
                    return execution.name();
                }

                @Override
                public String controllerName() {
                    return execution.controllerName();
                }

                @Override
                public String successTypeName(T result) {
                    return execution.successTypeName(result);
                }

                @Override
                public ResourceID resourceID() {
                    return execution.resourceID();
                }

                @Override
                public Map<String, Object> metadata() {
                    return execution.metadata();
                }

                @Override
                public T execute() throws Exception {
                    try {
                        return execution.execute();
                    } catch (Exception e) {
                        thrown[0] = e;
                        throw e;
                    }
                }
            });
        } catch (OperatorException e) {
            // unwrap only the wrapper the timing added around the reconciler's own exception
            if (thrown[0] != null && e.getCause() == thrown[0]) {
                throw thrown[0];
            }
            throw e;
        }
    }

    @Override
    public void controllerRegistered(Controller<? extends HasMetadata> controller) {
        delegate.controllerRegistered(controller);
    }

    @Override
    public void eventReceived(Event event, Map<String, Object> metadata) {
        delegate.eventReceived(event, metadata);
    }

    @Override
    public void reconciliationSubmitted(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        delegate.reconciliationSubmitted(resource, retryInfo, metadata);
    }

    @Override
    public void reconciliationStarted(HasMetadata resource, Map<String, Object> metadata) {
        delegate.reconciliationStarted(resource, metadata);
    }

    @Override
    public void reconciliationFailed(HasMetadata resource, RetryInfo retryInfo, Exception exception,
                                     Map<String, Object> metadata) {
        delegate.reconciliationFailed(resource, retryInfo, exception, metadata);
    }

    @Override
    public void reconciliationSucceeded(HasMetadata resource, Map<String, Object> metadata) {
        delegate.reconciliationSucceeded(resource, metadata);
    }

    @Override
    public void reconciliationFinished(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        delegate.reconciliationFinished(resource, retryInfo, metadata);
    }

    @Override
    public void cleanupDone(ResourceID resourceID, Map<String, Object> metadata) {
        delegate.cleanupDone(resourceID, metadata);
    }
}
