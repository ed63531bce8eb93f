package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"exithub"
)

// operationLimit takes every GraphQL operation from its organisation's
// budget, whatever the transport: an HTTP request was counted as it came
// in (so it can answer 429); an operation over a WebSocket is counted here,
// each one, against the same buckets.
// Each query and mutation also gets its budget of audit objects.
type operationLimit struct {
	limits          *rateLimits
	maxAuditObjects int
}

type countedKey struct{}

// withCounted marks an HTTP request whose operation was already counted.
func withCounted(ctx context.Context) context.Context {
	return context.WithValue(ctx, countedKey{}, true)
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = operationLimit{}

func (operationLimit) ExtensionName() string                   { return "OperationRateLimit" }
func (operationLimit) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (l operationLimit) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	p := exithub.PrincipalFromContext(ctx)
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation != ast.Subscription {
		// A subscription lives long; its events are bounded one by one by
		// the cost of its selection, not by a budget they would exhaust.
		ctx = exithub.WithAuditBudget(ctx, l.maxAuditObjects)
	}
	if counted, _ := ctx.Value(countedKey{}).(bool); counted || p == nil || l.limits.allow(p.Org.Code) {
		return next(ctx)
	}
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
		Message:    "too many requests from your organisation; slow down",
		Extensions: map[string]any{"code": exithub.ERATELIMITED},
	}}})
}
