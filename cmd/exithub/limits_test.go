package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"exithub"
	"exithub/server/gqlhttp/gqlhttptest"
)

func TestDocumentLimits(t *testing.T) {
	h := startHub(t)
	tok := h.token("101", exithub.RoleCaseworker)
	var aliases strings.Builder
	aliases.WriteString("{")
	for i := 0; i < 31; i++ {
		aliases.WriteString(" a" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ": me { sub }")
	}
	aliases.WriteString(" }")
	cases := []struct {
		name, query, code string
	}{
		{"31 aliases", aliases.String(), "GRAPHQL_VALIDATION_FAILED"},
		{"first over 100", `{ referrals(first: 101) { edges { cursor } } }`, exithub.EINVALID},
		{"bad cursor", `{ referrals(after: "nonsense") { edges { cursor } } }`, exithub.EINVALID},
		{"introspection without --dev", `{ __schema { types { name } } }`, "GRAPHQL_VALIDATION_FAILED"},
		{"unknown field", `{ me { subb } }`, "GRAPHQL_VALIDATION_FAILED"},
		{"parse error", `{ me { `, "GRAPHQL_PARSE_FAILED"},
		{"bad date", `{ course(id: "x", asOf: "2014-02-30") { id } }`, exithub.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.do(tok, c.query, nil)
			if r.code() != c.code {
				t.Fatalf("got %s, want %s: %s", r.code(), c.code, r.raw)
			}
			if strings.Contains(string(r.raw), "Did you mean") {
				t.Fatalf("suggestions leak field names: %s", r.raw)
			}
		})
	}
}

// The schema has no recursive type, so the depth limit is shown with a
// lower configured limit: the mechanism and the setting are what matter.
func TestDepthLimitIsConfigurable(t *testing.T) {
	h := startHub(t, func(m *Main) { m.Config.MaxDepth = 4 })
	tok := h.token("reden", exithub.RoleNGOWorker)
	if r := h.do(tok, `{ referrals { edges { node { from { code } } } } }`, nil); r.code() != "GRAPHQL_VALIDATION_FAILED" || !strings.Contains(string(r.raw), "deeper") {
		t.Fatalf("a query 5 deep under a limit of 4: %s", r.raw)
	}
	if r := h.do(tok, `{ me { organisation { code } } }`, nil); len(r.Errors) != 0 {
		t.Fatalf("a query 3 deep: %s", r.raw)
	}
}

func TestHTTPRulesOfGraphQLOverHTTP(t *testing.T) {
	h := startHub(t)
	tok := h.token("101", exithub.RoleCaseworker)
	send := func(method, path, ctype string, body []byte) *http.Response {
		req, err := http.NewRequest(method, h.url+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	mutation := url.QueryEscape(`mutation { registerCitizen(input: {alias: "via GET"}) { id } }`)
	if r := send(http.MethodGet, "/graphql?query="+mutation, "", nil); r.StatusCode < 400 {
		t.Fatalf("a mutation over GET answered %d", r.StatusCode)
	}
	if r := send(http.MethodGet, "/graphql?query="+url.QueryEscape("{ me { sub } }"), "", nil); r.StatusCode != 200 {
		t.Fatalf("a query over GET answered %d", r.StatusCode)
	}
	if r := send(http.MethodPost, "/graphql", "application/json", []byte(`[{"query":"{ me { sub } }"}]`)); r.StatusCode != 400 {
		t.Fatalf("a batch answered %d", r.StatusCode)
	}
	if r := send(http.MethodPost, "/graphql", "text/plain", []byte(`{"query":"{ me { sub } }"}`)); r.StatusCode < 400 {
		t.Fatalf("a text/plain POST (a CSRF simple request) answered %d", r.StatusCode)
	}
	big := []byte(`{"query":"{ me { sub } }","variables":{"x":"` + strings.Repeat("a", 2<<20) + `"}}`)
	if r := send(http.MethodPost, "/graphql", "application/json", big); r.StatusCode != 413 {
		t.Fatalf("a 2 MiB body answered %d", r.StatusCode)
	}
	d := h.must(tok, `{ citizens(first: 100) { edges { node { alias } } } }`, nil)
	for _, e := range get(d, "citizens", "edges").([]any) {
		if get(e, "node", "alias") == "via GET" {
			t.Fatal("the mutation sent over GET was executed")
		}
	}
}

// TestIntrospectionIsOutsideTheDepthLimitWhereAllowed: graphql-js's standard
// introspection query, which nests deeper than the depth limit, builds a
// client schema against a --dev server (which passes graphql-http's audits
// too); the depth limit still holds for the data, and introspection stays
// off in production.
func TestIntrospectionIsOutsideTheDepthLimitWhereAllowed(t *testing.T) {
	h := startHub(t, func(m *Main) { m.Config.Dev, m.Config.RatePerSecond = true, 0 })
	auth := "Bearer " + h.token("101", exithub.RoleCaseworker)
	s := gqlhttptest.Introspect(t, h.url+"/graphql", auth)
	if s.Query != "Query" || !slices.Contains(s.NodeImplementations, "Grant") {
		t.Fatalf("graphql-js built %+v", s)
	}
	gqlhttptest.RunAudits(t, h.url+"/graphql", auth) // and --dev still meets GraphQL over HTTP
	deep := `{ referrals { edges { node { from { code } } } } }`
	h = startHub(t, func(m *Main) { m.Config.Dev, m.Config.MaxDepth = true, 4 })
	if r := h.do(h.token("reden", exithub.RoleNGOWorker), deep, nil); !strings.Contains(string(r.raw), "deeper") {
		t.Fatalf("with introspection allowed, data 5 deep under a limit of 4: %s", r.raw)
	}
	h = startHub(t)
	if r := h.do(h.token("101", exithub.RoleCaseworker), `{ __schema { queryType { name } } }`, nil); r.code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("introspection in production: %s", r.raw)
	}
}
