package exithub

import (
	"context"
	"sync/atomic"
)

// auditBudget bounds the personal objects one request may touch, summed
// over all its transactions (every resolver has its own), so that one
// request cannot write thousands of audit objects that later reads of the
// audit trail return again.
type auditBudget struct {
	max  int64
	used atomic.Int64
}

type auditBudgetKey struct{}

// WithAuditBudget lets the operations run with ctx touch at most max
// personal objects in all; beyond, the transaction that would cross it
// rolls back (SpendAuditBudget fails it) and its field answers
// BAD_USER_INPUT. Zero or less: no bound.
func WithAuditBudget(ctx context.Context, max int) context.Context {
	if max <= 0 {
		return ctx
	}
	return context.WithValue(ctx, auditBudgetKey{}, &auditBudget{max: int64(max)})
}

// SpendAuditBudget takes n objects from the request's budget; the error
// says the request touches too many.
func SpendAuditBudget(ctx context.Context, n int) error {
	b, ok := ctx.Value(auditBudgetKey{}).(*auditBudget)
	if !ok || n == 0 {
		return nil
	}
	if b.used.Add(int64(n)) > b.max {
		return Errorf(EINVALID, "the request touches more than %d personal records; ask for smaller pages or fewer fields", b.max)
	}
	return nil
}
