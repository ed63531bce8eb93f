package server

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Tracing sets up OpenTelemetry tracing: "" (off), "stdout" (spans as JSON
// to w) or "otlp" (to the collector named by the standard
// OTEL_EXPORTER_OTLP_* environment). It returns a shutdown function that
// flushes what is buffered.
func Tracing(ctx context.Context, mode string, w io.Writer) (func(context.Context) error, error) {
	var exp sdktrace.SpanExporter
	var err error
	switch mode {
	case "":
		return func(context.Context) error { return nil }, nil
	case "stdout":
		exp, err = stdouttrace.New(stdouttrace.WithWriter(w))
	case "otlp":
		exp, err = otlptracehttp.New(ctx)
	default:
		return nil, fmt.Errorf("tracing: unknown mode %q (use stdout or otlp)", mode)
	}
	if err != nil {
		return nil, fmt.Errorf("tracing: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	return tp.Shutdown, nil
}

// traced wraps the handler in an HTTP server span per request; spans are
// no-ops unless Tracing set a provider.
func traced(h http.Handler) http.Handler {
	return otelhttp.NewHandler(h, "exithub", otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
		return r.Method + " " + r.URL.Path
	}))
}

// operationSpan starts a span named after the GraphQL operation.
func operationSpan(ctx context.Context, name string) (context.Context, trace.Span) {
	return otel.Tracer("exithub/graphql").Start(ctx, "graphql "+name)
}
