package server

import (
	"context"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"exithub"
)

// metrics are the server's Prometheus metrics, in a registry of its own so
// that two servers in one process (as in tests) do not collide.
type metrics struct {
	registry        *prometheus.Registry
	operations      *prometheus.CounterVec
	latency         *prometheus.HistogramVec
	unauthenticated *prometheus.CounterVec
	names           map[string]bool // operation names that may be labels
}

func newMetrics(allow *AllowList) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		names:    operationNames(allow),
		unauthenticated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exithub_unauthenticated_requests_total", Help: "Requests refused before authentication: refused (no valid token) or rate_limited (the address failed too often).",
		}, []string{"outcome"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exithub_graphql_operations_total", Help: "GraphQL operations by name and outcome (ok or the first error code).",
		}, []string{"operation", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "exithub_graphql_duration_seconds", Help: "Time to answer a GraphQL operation.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"operation"}),
	}
	m.registry.MustRegister(m.operations, m.latency, m.unauthenticated, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// extension counts and times every operation, by name and outcome.
func (m *metrics) extension() graphql.HandlerExtension { return metricsExtension{m} }

type metricsExtension struct{ m *metrics }

func (metricsExtension) ExtensionName() string                   { return "Metrics" }
func (metricsExtension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor: it names the
// operation for the audit trail, which the database layer writes.
func (e metricsExtension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	req := exithub.RequestFromContext(ctx)
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil {
		req.Operation = oc.Operation.Name
		if req.Operation == "" {
			req.Operation = string(oc.Operation.Operation)
		}
	}
	ctx, span := operationSpan(ctx, label(e.m.names, req.Operation))
	handler := next(exithub.NewContextWithRequest(ctx, req))
	return func(ctx context.Context) *graphql.Response {
		defer span.End()
		return handler(ctx)
	}
}

// InterceptResponse implements graphql.ResponseInterceptor.
func (e metricsExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	name := ""
	// A request refused before GraphQL parsed it has no operation context.
	if graphql.HasOperationContext(ctx) {
		if oc := graphql.GetOperationContext(ctx); oc.Operation != nil {
			name = oc.Operation.Name
		}
	}
	name = label(e.m.names, name)
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = codeOf(resp.Errors[0])
	}
	e.m.operations.WithLabelValues(name, outcome).Inc()
	e.m.latency.WithLabelValues(name).Observe(time.Since(start).Seconds())
	return resp
}

func codeOf(e *gqlerror.Error) string {
	if c, ok := e.Extensions["code"].(string); ok {
		return c
	}
	return "INTERNAL"
}

// poolCollector reports the database pool's use.
type poolCollector struct{ p PoolStats }

var (
	poolTotal    = prometheus.NewDesc("exithub_db_pool_connections", "Connections in the pool.", nil, nil)
	poolAcquired = prometheus.NewDesc("exithub_db_pool_acquired_connections", "Connections in use.", nil, nil)
	poolWaits    = prometheus.NewDesc("exithub_db_pool_empty_acquire_total", "Acquires that had to wait for a connection.", nil, nil)
	dbQueries    = prometheus.NewDesc("exithub_db_queries_total", "SQL statements sent by the pool, BEGIN and COMMIT included.", nil, nil)
)

// Describe implements prometheus.Collector.
func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolTotal
	ch <- poolAcquired
	ch <- poolWaits
	ch <- dbQueries
}

// Collect implements prometheus.Collector.
func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.p.PoolStat()
	ch <- prometheus.MustNewConstMetric(poolTotal, prometheus.GaugeValue, float64(s.Total))
	ch <- prometheus.MustNewConstMetric(poolAcquired, prometheus.GaugeValue, float64(s.Acquired))
	ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.EmptyAcquires))
	ch <- prometheus.MustNewConstMetric(dbQueries, prometheus.CounterValue, float64(s.Queries))
}
