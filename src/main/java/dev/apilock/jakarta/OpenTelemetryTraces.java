package dev.apilock.jakarta;

import io.opentelemetry.api.trace.SpanContext;
import java.util.Optional;

/**
 * The current OpenTelemetry trace id. Only {@link #currentTraceId()} touches OpenTelemetry's API,
 * through a nested class loaded when it is on the class path.
 */
final class OpenTelemetryTraces {

    private static final boolean AVAILABLE = available();

    private OpenTelemetryTraces() {
    }

    private static boolean available() {
        try {
            Class.forName("io.opentelemetry.api.trace.Span", false, OpenTelemetryTraces.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The trace id of the current span, if OpenTelemetry is present and a valid span is current. */
    static Optional<String> currentTraceId() {
        return AVAILABLE ? Api.currentTraceId() : Optional.empty();
    }

    private static final class Api {
        static Optional<String> currentTraceId() {
            SpanContext context = io.opentelemetry.api.trace.Span.current().getSpanContext();
            return context.isValid() ? Optional.of(context.getTraceId()) : Optional.empty();
        }
    }
}
