package gqlhttp

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// DefaultMaxBodyBytes is the body limit when Options leaves it at zero.
const DefaultMaxBodyBytes = 1 << 20

// Options bound what a request may send.
type Options struct {
	// MaxBodyBytes caps a POST body; a larger one gets 413. Zero or less
	// means DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Transport is a gqlgen transport for GraphQL over HTTP. Its zero value
// claims no request: build it with New, GET or POST.
type Transport struct {
	opts      Options
	get, post bool
}

var _ graphql.Transport = Transport{}

// New returns a transport that serves both GET and POST.
func New(o Options) Transport { return newTransport(o, true, true) }

// GET returns a transport that serves GET only.
func GET(o Options) Transport { return newTransport(o, true, false) }

// POST returns a transport that serves POST only.
func POST(o Options) Transport { return newTransport(o, false, true) }

func newTransport(o Options, get, post bool) Transport {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	return Transport{opts: o, get: get, post: post}
}

// Supports claims its methods but never a WebSocket upgrade, which is a
// GET too: gqlgen takes the first transport that says yes, so claiming it
// would break subscriptions whatever order the transports were added in.
// Every POST is claimed, whatever its Content-Type, so that the wrong ones
// get a clear 415 rather than gqlgen's "transport not supported".
func (t Transport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	return (t.get && r.Method == http.MethodGet) || (t.post && r.Method == http.MethodPost)
}

// Do answers one request.
func (t Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	// The body depends on Accept, so a cache must key GET responses on it.
	w.Header().Add("Vary", "Accept")
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		refuse(r.Context(), w, exec, mediaJSON, errNotAcceptable)
		return
	}
	start := graphql.Now()
	params, err := t.params(w, r)
	if err != nil {
		refuse(r.Context(), w, exec, media, err)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	execute(w, r, exec, media, params)
}

// execute runs the operation through gqlgen's executor, as gqlgen's own
// transports do, so that extensions and the error presenter apply.
func execute(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, media string, params *graphql.RawParams) {
	ctx := r.Context()
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		write(w, media, requestErrorStatus(media), resp, false)
		return
	}
	if err := allowed(r.Method, oc.Operation.Operation); err != nil {
		refuse(graphql.WithOperationContext(ctx, oc), w, exec, media, err)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	if resp == nil {
		return // the request's context ended: nobody is there to answer
	}
	write(w, media, http.StatusOK, resp, true)
}

// allowed refuses what HTTP must not run: a mutation over GET, which a
// link, an image or a prefetch could trigger, and a subscription, whose
// events need the WebSocket transport (over plain HTTP it would hold the
// request open until the first event and then drop the rest).
func allowed(method string, op ast.Operation) *requestError {
	switch {
	case method == http.MethodGet && op != ast.Query:
		return errGetNotQuery
	case op == ast.Subscription:
		return errSubscription
	}
	return nil
}
