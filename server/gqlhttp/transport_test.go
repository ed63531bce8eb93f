package gqlhttp_test

import (
	"net/http"
	"strings"
	"testing"

	"exithub/server/gqlhttp"
)

const (
	mediaGQL = "application/graphql-response+json"
	hello    = `{"query":"{ hello }"}`
)

func TestAcceptNegotiation(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	ok := func(ct string) want { return want{status: 200, ct: ct, data: dataPresent} }
	cases := []struct {
		name   string
		accept string
		want   want
	}{
		{"no Accept", "", ok(ctJSON)},
		{"application/json", "application/json", ok(ctJSON)},
		{"graphql-response+json", mediaGQL, ok(ctGQL)},
		{"*/*", "*/*", ok(ctJSON)},
		{"application/*", "application/*", ok(ctJSON)},
		{"the spec's client default", mediaGQL + ", application/json;q=0.9", ok(ctGQL)},
		{"json preferred by q", mediaGQL + ";q=0.5, application/json", ok(ctJSON)},
		{"a browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ok(ctJSON)},
		{"json refused", "application/json;q=0, " + mediaGQL, ok(ctGQL)},
		{"text/html only", "text/html", want{status: 406, ct: ctJSON, data: dataAbsent, code: "BAD_USER_INPUT", msg: "Accept"}},
		{"both refused", "application/json;q=0, */*;q=0", want{status: 406, ct: ctJSON, data: dataAbsent, code: "BAD_USER_INPUT"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, ts.send(t, post(c.accept, hello)), c.want)
		})
	}
}

// Only application/json reaches the executor: the other types a page on
// another site can POST without a preflight are refused.
func TestPOSTContentTypes(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	refused := want{status: 415, ct: ctJSON, data: dataAbsent, code: "BAD_USER_INPUT", msg: "application/json"}
	cases := []struct {
		contentType string
		want        want
	}{
		{"application/json", want{status: 200, ct: ctJSON, data: dataPresent}},
		{"application/json; charset=utf-8", want{status: 200, ct: ctJSON, data: dataPresent}},
		{"Application/JSON; charset=UTF-8", want{status: 200, ct: ctJSON, data: dataPresent}},
		{"application/json; charset=iso-8859-1", want{status: 415, ct: ctJSON, data: dataAbsent, code: "BAD_USER_INPUT", msg: "UTF-8"}},
		{"text/plain", refused},
		{"application/x-www-form-urlencoded", refused},
		{"multipart/form-data; boundary=x", refused},
		{"application/graphql", refused},
		{"", refused},
	}
	for _, c := range cases {
		t.Run(c.contentType, func(t *testing.T) {
			rq := post("", hello)
			rq.contentType = c.contentType
			check(t, ts.send(t, rq), c.want)
		})
	}
}

// A body that is not one well-formed GraphQL request gets 400 whatever the
// media type.
func TestMalformedRequests(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	cases := []struct{ name, body, msg string }{
		{"batch", `[{"query":"{ hello }"},{"query":"{ hello }"}]`, "batched requests are not supported"},
		{"batch after space", " \n[]", "batched requests are not supported"},
		{"malformed JSON", `{"query": "{ hello }"`, "not a JSON object"},
		{"trailing data", hello + `x`, "not a JSON object"},
		{"no body", "", "not a JSON object"},
		{"null body", "null", "not a JSON object"},
		{"a string body", `"{ hello }"`, "not a JSON object"},
		{"invalid UTF-8", "{\"query\":\"{ hello }\",\"operationName\":\"\xff\"}", "UTF-8"},
		{"no query", `{"qeury":"{ hello }"}`, "no query"},
		{"null query", `{"query":null}`, "no query"},
		{"query a number", `{"query":1}`, "query must be a string"},
		{"query an object", `{"query":{"a":1}}`, "query must be a string"},
		{"operationName an array", `{"query":"{ hello }","operationName":["a"]}`, "operationName must be a string"},
		{"variables a string", `{"query":"{ hello }","variables":"{}"}`, "variables must be a JSON object"},
		{"variables an array", `{"query":"{ hello }","variables":[]}`, "variables must be a JSON object"},
		{"extensions false", `{"query":"{ hello }","extensions":false}`, "extensions must be a JSON object"},
	}
	for _, c := range cases {
		for _, media := range []struct{ accept, ct string }{{"application/json", ctJSON}, {mediaGQL, ctGQL}} {
			t.Run(c.name+" "+media.accept, func(t *testing.T) {
				w := want{status: 400, ct: media.ct, data: dataAbsent, code: "BAD_USER_INPUT", msg: c.msg}
				check(t, ts.send(t, post(media.accept, c.body)), w)
			})
		}
	}
}

// Null parameters are as good as absent, and a key's case matters.
func TestOptionalParameters(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	for _, body := range []string{
		`{"query":"{ hello }","variables":null,"operationName":null,"extensions":null}`,
		`{"query":"query Q { hello }","operationName":"Q","variables":{},"extensions":{"some":"value"}}`,
		`{"query":"{ hello }","QUERY":1}`,
	} {
		check(t, ts.send(t, post(mediaGQL, body)), want{status: 200, ct: ctGQL, data: dataPresent})
	}
}

func TestBodyLimit(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{MaxBodyBytes: 1024})
	pad := func(n int) string {
		return `{"query":"{ hello }","extensions":{"pad":"` + strings.Repeat("x", n) + `"}}`
	}
	tooLarge := want{status: 413, ct: ctJSON, data: dataAbsent, code: "BAD_USER_INPUT", msg: "larger than the server accepts"}
	check(t, ts.send(t, post("", pad(900))), want{status: 200, ct: ctJSON, data: dataPresent})
	check(t, ts.send(t, post("", pad(2000))), tooLarge)
	chunked := post("", pad(2000))
	chunked.chunked = true
	check(t, ts.send(t, chunked), tooLarge)
}

func TestDefaultBodyLimitIsOneMiB(t *testing.T) {
	if gqlhttp.DefaultMaxBodyBytes != 1<<20 {
		t.Fatalf("DefaultMaxBodyBytes %d", gqlhttp.DefaultMaxBodyBytes)
	}
	ts := newTestServer(t, gqlhttp.Options{})
	body := `{"query":"{ hello }","extensions":{"pad":"` + strings.Repeat("x", 1<<20) + `"}}`
	check(t, ts.send(t, post("", body)), want{status: 413, ct: ctJSON, data: dataAbsent, code: "BAD_USER_INPUT"})
}

func TestSupports(t *testing.T) {
	upgrade := func(r *http.Request) *http.Request {
		r.Header.Set("Connection", "Upgrade")
		r.Header.Set("Upgrade", "websocket")
		return r
	}
	cases := []struct {
		name      string
		r         *http.Request
		get, post bool // what GET() and POST() say; New() says either
	}{
		{"GET", mustRequest(http.MethodGet), true, false},
		{"POST", mustRequest(http.MethodPost), false, true},
		{"WebSocket upgrade", upgrade(mustRequest(http.MethodGet)), false, false},
		{"PUT", mustRequest(http.MethodPut), false, false},
		{"OPTIONS", mustRequest(http.MethodOptions), false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := gqlhttp.Options{}
			g, p, n := gqlhttp.GET(o).Supports(c.r), gqlhttp.POST(o).Supports(c.r), gqlhttp.New(o).Supports(c.r)
			if g != c.get || p != c.post || n != (c.get || c.post) {
				t.Fatalf("GET %v POST %v New %v, want %v %v %v", g, p, n, c.get, c.post, c.get || c.post)
			}
			if (gqlhttp.Transport{}).Supports(c.r) {
				t.Fatal("the zero Transport claims a request")
			}
		})
	}
}

func mustRequest(method string) *http.Request {
	r, err := http.NewRequest(method, "http://hub.test/graphql", nil)
	if err != nil {
		panic(err)
	}
	return r
}
