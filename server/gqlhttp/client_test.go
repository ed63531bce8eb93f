package gqlhttp_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// req is one HTTP request to the test server.
type req struct {
	method      string
	query       url.Values // GET parameters
	contentType string
	accept      string
	body        string
	chunked     bool // send the body without a Content-Length
}

// reply is what came back, with the body split into its entries.
type reply struct {
	status  int
	header  http.Header
	raw     string
	entries map[string]json.RawMessage
	errors  []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
}

func (ts *testServer) send(t *testing.T, rq req) reply {
	t.Helper()
	u := ts.URL
	if rq.query != nil {
		u += "?" + rq.query.Encode()
	}
	var body io.Reader
	if rq.body != "" {
		body = strings.NewReader(rq.body)
		if rq.chunked {
			body = io.MultiReader(body) // hides the length from net/http
		}
	}
	r, err := http.NewRequest(rq.method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	setIf(r.Header, "Content-Type", rq.contentType)
	setIf(r.Header, "Accept", rq.accept)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return readReply(t, resp)
}

func readReply(t *testing.T, resp *http.Response) reply {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := reply{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	if err := json.Unmarshal(b, &out.entries); err != nil {
		t.Fatalf("%d: the body is not a JSON object: %s", resp.StatusCode, b)
	}
	if e, ok := out.entries["errors"]; ok {
		if err := json.Unmarshal(e, &out.errors); err != nil {
			t.Fatalf("errors is not a list of errors: %s", b)
		}
	}
	return out
}

func setIf(h http.Header, k, v string) {
	if v != "" {
		h.Set(k, v)
	}
}

// post is a POST of a JSON body with the given Accept.
func post(accept, body string) req {
	return req{method: http.MethodPost, contentType: "application/json", accept: accept, body: body}
}

// get is a GET of the given parameters, in pairs.
func get(accept string, kv ...string) req {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return req{method: http.MethodGet, query: q, accept: accept}
}

// gql is the query {"query": q} as a POST body.
func gql(q string) string {
	b, _ := json.Marshal(map[string]string{"query": q}) // a string always marshals
	return string(b)
}
