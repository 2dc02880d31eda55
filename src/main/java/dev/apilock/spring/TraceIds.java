package dev.apilock.spring;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/** The current trace id from Micrometer Tracing's {@link Tracer}, if one traces. */
final class TraceIds implements Supplier<@Nullable String> {

    private final ObjectProvider<Tracer> tracer;

    TraceIds(ObjectProvider<Tracer> tracer) {
        this.tracer = tracer;
    }

    @Override
    public @Nullable String get() {
        Tracer current = tracer.getIfAvailable();
        Span span = current == null ? null : current.currentSpan();
        String traceId = span == null ? null : span.context().traceId();
        return traceId == null || traceId.isBlank() ? null : traceId;
    }
}
