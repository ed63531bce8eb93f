package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"exithub"
	"exithub/auth"
)

// tokenTTL outlasts the longest run (scale 1.0 takes under half an hour).
const tokenTTL = 3 * time.Hour

// principal is one token's request headers, shared read-only by the
// targeters (vegeta copies headers into each request).
type principal struct {
	Org    string
	Header http.Header
}

func mintPrincipal(keys *auth.KeyDir, org string, role exithub.Role) (principal, error) {
	tok, err := keys.Mint(auth.Claims{Sub: "bench-" + string(role) + "@" + org, Org: org, Role: role}, tokenTTL)
	if err != nil {
		return principal{}, err
	}
	h := http.Header{"Authorization": {"Bearer " + tok}, "Content-Type": {"application/json"}}
	return principal{Org: org, Header: h}, nil
}

// endpoints spreads requests round-robin over the hubs' /graphql.
type endpoints struct {
	urls []string
	next atomic.Uint64
}

func newEndpoints(hs ...*hub) *endpoints {
	e := &endpoints{}
	for _, h := range hs {
		e.urls = append(e.urls, h.url+"/graphql")
	}
	return e
}

func (e *endpoints) pick() string { return e.urls[(e.next.Add(1)-1)%uint64(len(e.urls))] }

// gqlBody is a GraphQL-over-HTTP request body.
func gqlBody(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars}) // the bench's own variables, plain JSON values: it cannot fail
	return b
}

// fill makes t a POST of body to url as p.
func fill(t *vegeta.Target, url string, p principal, body []byte) {
	t.Method, t.URL, t.Header, t.Body = http.MethodPost, url, p.Header, body
}

// setupClient makes the fixtures before any run; it is never measured.
var setupClient = &http.Client{Timeout: 30 * time.Second}

// call sends one GraphQL request and returns its data, or the first error.
func call(url string, p principal, query string, vars map[string]any) (json.RawMessage, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(gqlBody(query, vars)))
	if err != nil {
		return nil, err
	}
	req.Header = p.Header.Clone()
	resp, err := setupClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s as %s: reading the answer: %w", firstLine(query), p.Org, err)
	}
	if msg := graphQLError(body); msg != "" || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s as %s: HTTP %d %s", firstLine(query), p.Org, resp.StatusCode, body)
	}
	var a gqlAnswer
	err = json.Unmarshal(body, &a)
	return a.Data, err
}

func firstLine(s string) string {
	if i := bytes.IndexByte([]byte(s), '{'); i > 0 {
		return s[:i]
	}
	return s
}
