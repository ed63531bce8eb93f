// Package gqlhttp is GraphQL over HTTP as the GraphQL-over-HTTP
// specification asks: POST with application/json, GET for queries only,
// application/graphql-response+json when the client accepts it, status codes
// by media type, and no "data" entry when a request fails before execution.
// It is a gqlgen transport, so gqlgen's extensions and error presenter apply.
package gqlhttp

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Options bound what a request may send.
type Options struct {
	// MaxBodyBytes caps a POST body; larger ones get 413.
	MaxBodyBytes int64
}

// Transport serves GET and POST.
type Transport struct{ opts Options }

var _ graphql.Transport = Transport{}

// New returns the transport.
func New(o Options) Transport {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 1 << 20
	}
	return Transport{opts: o}
}

// Supports claims GET and POST, but never a WebSocket upgrade.
func (t Transport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	return r.Method == http.MethodGet || r.Method == http.MethodPost
}

// Do answers one request.
func (t Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		reply(w, exec, r, mediaJSON, http.StatusNotAcceptable, "the response can be application/graphql-response+json or application/json")
		return
	}
	params, status, msg := t.params(w, r)
	if status == paramStatus {
		status = requestErrorStatus(media)
	}
	if status != 0 {
		reply(w, exec, r, media, status, msg)
		return
	}
	start := graphql.Now()
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	ctx := r.Context()
	rc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		write(w, media, requestErrorStatus(media), resp, false)
		return
	}
	if r.Method == http.MethodGet && rc.Operation != nil && rc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		reply(w, exec, r, media, http.StatusMethodNotAllowed, "only queries may be sent with GET; send mutations with POST")
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	write(w, media, http.StatusOK, responses(ctx), true)
}

// requestErrorStatus is the status of a request that failed before
// execution: 400 with the new media type, 200 with the legacy one, as the
// specification asks for compatibility with older clients.
func requestErrorStatus(media string) int {
	if media == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// reply answers a request refused before GraphQL saw it.
func reply(w http.ResponseWriter, exec graphql.GraphExecutor, r *http.Request, media string, status int, msg string) {
	err := gqlerror.Errorf("%s", msg)
	err.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
	resp := exec.DispatchError(r.Context(), gqlerror.List{err})
	write(w, media, status, resp, false)
}

// wire is a response as the specification wants it on the wire: "data"
// only when execution started.
type wire struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

func write(w http.ResponseWriter, media string, status int, resp *graphql.Response, executed bool) {
	out := wire{Errors: resp.Errors, Extensions: resp.Extensions}
	if executed {
		out.Data = resp.Data
		if len(out.Data) == 0 {
			out.Data = json.RawMessage("null")
		}
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(out) // the client is gone if this fails; nothing to tell it
}

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// negotiate picks the response media type from Accept headers.
func negotiate(accepts []string) (string, bool) {
	if len(accepts) == 0 {
		return mediaJSON, true
	}
	json := false
	for _, h := range accepts {
		for _, part := range strings.Split(h, ",") {
			mt, q := mediaRange(part)
			switch {
			case q == 0:
			case mt == mediaGraphQLResponse:
				return mediaGraphQLResponse, true
			case mt == mediaJSON, mt == "*/*", mt == "application/*":
				json = true
			}
		}
	}
	return mediaJSON, json
}

func mediaRange(part string) (string, float64) {
	fields := strings.Split(part, ";")
	mt := strings.ToLower(strings.TrimSpace(fields[0]))
	q := 1.0
	for _, f := range fields[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			if x, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = x
			}
		}
	}
	return mt, q
}
