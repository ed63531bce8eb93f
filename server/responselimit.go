package server

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// responseLimit refuses an answer whose data is larger than max bytes,
// over HTTP and WebSocket alike: the cost limit bounds how many fields a
// query returns, this bounds what long texts could still add.
type responseLimit struct{ max int }

// codeResponseTooLarge is the extensions code of a refused answer.
const codeResponseTooLarge = "RESPONSE_TOO_LARGE"

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = responseLimit{}

func (responseLimit) ExtensionName() string                   { return "ResponseLimit" }
func (responseLimit) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (l responseLimit) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || l.max <= 0 || len(resp.Data) <= l.max {
		return resp
	}
	return &graphql.Response{Errors: gqlerror.List{{
		Message:    fmt.Sprintf("the answer is larger than %d bytes: ask for smaller pages or fewer fields", l.max),
		Extensions: map[string]any{"code": codeResponseTooLarge},
	}}}
}
