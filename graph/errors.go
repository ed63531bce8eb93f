package graph

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"exithub"
)

// RequestIDFunc returns the id of the request a context belongs to; the
// presenter puts it on internal errors so a user can quote it.
type RequestIDFunc func(context.Context) string

// ErrorPresenter is the one place where errors become GraphQL errors: an
// application error shows its code, message and field; anything else is
// logged with the request id and shown only as INTERNAL.
func ErrorPresenter(log *slog.Logger, requestID RequestIDFunc) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var appErr *exithub.Error
		if errors.As(err, &appErr) {
			gqlErr.Message = appErr.Message
			setCode(gqlErr, appErr.Code)
			if exithub.Retryable(appErr.Code) {
				gqlErr.Extensions["retryable"] = true
			}
			if field := argumentField(appErr.Field, gqlErr.Path); field != "" {
				gqlErr.Extensions["field"] = field
			}
			return gqlErr
		}
		if _, ok := gqlErr.Extensions["code"]; ok {
			// gqlgen's own codes: GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, ...
			return gqlErr
		}
		if gqlErr.Rule != "" {
			return gqlErr
		}
		id := requestID(ctx)
		log.ErrorContext(ctx, "internal error", "err", err, "path", gqlErr.Path.String())
		gqlErr.Message = "internal error"
		setCode(gqlErr, exithub.EINTERNAL)
		gqlErr.Extensions["requestId"] = id
		return gqlErr
	}
}

// scalars are the schema's scalar types, the built-in ones too: the hub
// reads String itself (graph/scalar: no NUL), as it reads Date, DateTime
// and Money.
var scalars = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for name, t := range NewExecutableSchema(Config{}).Schema().Types {
		if t.Kind == ast.Scalar {
			out[name] = true
		}
	}
	return out
})

// argumentField names the argument an error is about. A scalar that cannot
// read a value knows only its type (field "Date"), not which argument held
// it; the path of such an error ends in that argument (["course", "asOf"],
// ["createGrant", "input", "amount"]), so the last name on it is the field.
func argumentField(field string, path ast.Path) string {
	if !scalars()[field] {
		return field
	}
	for i := len(path) - 1; i >= 0; i-- {
		if name, ok := path[i].(ast.PathName); ok {
			return string(name)
		}
	}
	return field
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

// RecoverFunc turns a panic in a resolver into an INTERNAL error; the panic
// is logged by the presenter, never shown.
func RecoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", p)
		return errors.New("panic in resolver")
	}
}
