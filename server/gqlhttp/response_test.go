package gqlhttp

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The data goes out byte for byte as gqlgen produced it (not compacted or
// HTML-escaped once more), in the envelope the specification asks for:
// "data" exactly when execution started, null when it produced none.
func TestWriteSendsTheDataAsProduced(t *testing.T) {
	data := json.RawMessage(`{"a": "<b> & c"}`)
	errs := gqlerror.List{{Message: "x", Extensions: map[string]any{"code": "C"}}}
	ext := map[string]any{"k": 1}
	for _, c := range []struct {
		name     string
		resp     *graphql.Response
		executed bool
		want     string
	}{
		{"data", &graphql.Response{Data: data}, true, `{"data":{"a": "<b> & c"}}`},
		{"everything", &graphql.Response{Data: data, Errors: errs, Extensions: ext}, true,
			`{"errors":[{"message":"x","extensions":{"code":"C"}}],"data":{"a": "<b> & c"},"extensions":{"k":1}}`},
		{"no data", &graphql.Response{Errors: errs}, true, `{"errors":[{"message":"x","extensions":{"code":"C"}}],"data":null}`},
		{"not executed", &graphql.Response{Data: data, Errors: errs}, false, `{"errors":[{"message":"x","extensions":{"code":"C"}}]}`},
		{"extensions only", &graphql.Response{Extensions: ext}, false, `{"extensions":{"k":1}}`},
		{"dropped", nil, false, `{}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			write(w, mediaJSON, 200, c.resp, c.executed)
			if got := w.Body.String(); got != c.want+"\n" {
				t.Fatalf("wrote %s, want %s", got, c.want)
			}
			if !json.Valid(w.Body.Bytes()) {
				t.Fatalf("%s is not JSON", w.Body)
			}
		})
	}
}
