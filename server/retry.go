package server

import (
	"context"
	"net/http"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"

	"exithub"
)

// retryAfterSeconds is the Retry-After of every retryable answer: short,
// since the hub recovers within a fraction of a second of its database.
const retryAfterSeconds = "1"

// retryHint is set while a request runs when its answer carries a
// retryable error; the response writer then adds Retry-After.
type retryHint struct{ set atomic.Bool }

type retryHintKey struct{}

func withRetryHint(ctx context.Context) (context.Context, *retryHint) {
	h := &retryHint{}
	return context.WithValue(ctx, retryHintKey{}, h), h
}

func markRetryable(ctx context.Context) {
	if h, ok := ctx.Value(retryHintKey{}).(*retryHint); ok {
		h.set.Store(true)
	}
}

// retryableResponses marks a GraphQL answer with a retryable error before
// the transport writes it, whatever its HTTP status.
func retryableResponses(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	for _, e := range resp.Errors {
		if code, _ := e.Extensions["code"].(string); exithub.Retryable(code) {
			markRetryable(ctx)
			break
		}
	}
	return resp
}

// setRetryAfter adds Retry-After to an answer marked retryable, unless the
// handler chose its own.
func setRetryAfter(w http.ResponseWriter, h *retryHint) {
	if h != nil && h.set.Load() && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
}
