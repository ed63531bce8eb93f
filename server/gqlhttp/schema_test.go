package gqlhttp_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"exithub/server/gqlhttp"
)

// schema is the tiny API the tests serve: no code generation, an executor
// that answers each root field by name.
var schema = gqlparser.MustLoadSchema(&ast.Source{Input: `
	type Query { hello: String  fail: String  echo(n: Int!): Int }
	type Mutation { bump: Int }
	type Subscription { tick: Int }
`})

// complexityLimit lets a query of up to four fields through.
const complexityLimit = 4

// testServer is a gqlgen server with the transports under test, the
// extensions the hub uses, and a count of executed mutations.
type testServer struct {
	*httptest.Server
	mutations atomic.Int64
}

func newTestServer(t *testing.T, o gqlhttp.Options) *testServer {
	t.Helper()
	ts := &testServer{}
	srv := handler.New(&graphql.ExecutableSchemaMock{
		ExecFunc:       ts.exec,
		SchemaFunc:     func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) { return 1, true },
	})
	// Ours first, so the WebSocket test shows they leave upgrades alone.
	srv.AddTransport(gqlhttp.GET(o))
	srv.AddTransport(gqlhttp.POST(o))
	srv.AddTransport(transport.Websocket{})
	srv.Use(extension.FixedComplexityLimit(complexityLimit))
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		e := graphql.DefaultErrorPresenter(ctx, err)
		if e.Extensions == nil {
			e.Extensions = map[string]any{}
		}
		e.Extensions["presented"] = true
		return e
	})
	ts.Server = httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// withAuth refuses requests without the given Authorization header, as
// the hub does, so the audits are seen to send it.
func withAuth(auth string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != auth {
			http.Error(w, "unauthorised", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (ts *testServer) exec(ctx context.Context) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	switch oc.Operation.Operation {
	case ast.Mutation:
		n := ts.mutations.Add(1)
		return graphql.OneShot(&graphql.Response{Data: mustJSON(map[string]any{"bump": n})})
	case ast.Subscription:
		return func(ctx context.Context) *graphql.Response {
			<-ctx.Done() // an event that never comes: the transports must refuse first
			return nil
		}
	}
	ran := false
	return func(ctx context.Context) *graphql.Response {
		if ran {
			return nil
		}
		ran = true
		return &graphql.Response{Data: mustJSON(resolveQuery(ctx, oc))}
	}
}

// resolveQuery answers the root fields; "fail" is a field error, so data
// and errors come together.
func resolveQuery(ctx context.Context, oc *graphql.OperationContext) map[string]any {
	data := map[string]any{}
	for _, sel := range oc.Operation.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok {
			continue
		}
		switch f.Name {
		case "__typename":
			data[f.Alias] = "Query"
		case "hello":
			data[f.Alias] = "world"
		case "echo":
			data[f.Alias] = f.ArgumentMap(oc.Variables)["n"]
		case "fail":
			graphql.AddError(ctx, &gqlerror.Error{Message: "fail fails", Path: ast.Path{ast.PathName(f.Alias)}})
			data[f.Alias] = nil
		default:
			data[f.Alias] = nil // __type and __schema: introspection is not what is tested
		}
	}
	return data
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
