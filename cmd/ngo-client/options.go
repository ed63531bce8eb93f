package main

import (
	"flag"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"
)

// defaultEndpoint is where `make run` serves.
const defaultEndpoint = "http://127.0.0.1:8080/graphql"

// requestTimeout bounds one HTTP request, so that a server that stops
// answering fails the command (or, for watch, the attempt) rather than
// hanging it.
const requestTimeout = 30 * time.Second

// options are the settings every command shares.
type options struct {
	endpoint string
	token    string
}

// defaultOptions takes the environment's settings, which flags override.
func defaultOptions() options {
	o := options{endpoint: os.Getenv("EXITHUB_ENDPOINT"), token: os.Getenv("EXITHUB_TOKEN")}
	if o.endpoint == "" {
		o.endpoint = defaultEndpoint
	}
	return o
}

func (o *options) register(fs *flag.FlagSet) {
	fs.StringVar(&o.endpoint, "endpoint", o.endpoint, "the hub's GraphQL endpoint (env EXITHUB_ENDPOINT)")
	fs.StringVar(&o.token, "token", o.token, "bearer token of an ngo_worker (env EXITHUB_TOKEN)")
	fs.Lookup("token").DefValue = "" // a secret: usage must not print it
}

// check refuses options no request could succeed with.
func (o options) check() error {
	if strings.TrimSpace(o.token) == "" {
		return usagef("no token: pass --token or set EXITHUB_TOKEN")
	}
	u, err := url.Parse(o.endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--endpoint %q is not an http(s) URL", o.endpoint)
	}
	return nil
}

// client is a GraphQL-over-HTTP client that sends the token with every
// request and records each answer's Retry-After in hints. It has its own
// connection pool, so closing it leaves no idle connection behind.
func (o options) client(hints *retryHints) (graphql.Client, func()) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	rt := bearer{token: strings.TrimSpace(o.token), next: recordRetryAfter{hints: hints, next: tr}}
	hc := &http.Client{Timeout: requestTimeout, Transport: rt}
	return graphql.NewClient(o.endpoint, hc), tr.CloseIdleConnections
}

// websocketURL is the endpoint with its scheme changed to ws or wss: the hub
// serves subscriptions on the same path.
func (o options) websocketURL() string {
	u, _ := url.Parse(o.endpoint) // check has parsed it already
	u.Scheme = map[string]string{"http": "ws", "https": "wss"}[u.Scheme]
	return u.String()
}

// bearer adds the token to each request; genqlient leaves authentication to
// the http.Client.
type bearer struct {
	token string
	next  http.RoundTripper
}

// RoundTrip sends r with the token.
func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}
