package gqlhttp_test

import (
	"net/http"
	"testing"

	"exithub/server/gqlhttp"
)

// A well-formed request that fails before execution has no data and gets
// 400 with application/graphql-response+json but 200 with application/json.
func TestRequestErrorsByMediaType(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	cases := []struct{ name, body, code, msg string }{
		{"parse error", gql("{"), "GRAPHQL_PARSE_FAILED", ""},
		{"empty query", gql(""), "GRAPHQL_VALIDATION_FAILED", "no operation"},
		{"validation error", gql("{ nope }"), "GRAPHQL_VALIDATION_FAILED", "nope"},
		{"operation not found", `{"query":"query A { hello }","operationName":"B"}`, "GRAPHQL_VALIDATION_FAILED", "B"},
		{"two operations, no name", gql("query A { hello } query B { hello }"), "GRAPHQL_VALIDATION_FAILED", ""},
		{"variable missing", gql("query($n: Int!) { echo(n: $n) }"), "GRAPHQL_VALIDATION_FAILED", "n"},
		{"variable of the wrong type", `{"query":"query($n: Int!) { echo(n: $n) }","variables":{"n":1.5}}`, "GRAPHQL_VALIDATION_FAILED", "n"},
		{"complexity over the limit", gql("{ a: hello b: hello c: hello d: hello e: hello }"), "COMPLEXITY_LIMIT_EXCEEDED", "complexity"},
		{"unknown persisted query", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"00"}}}`, "PERSISTED_QUERY_NOT_FOUND", ""},
		{"subscription", gql("subscription { tick }"), "BAD_USER_INPUT", "WebSocket"},
	}
	for _, c := range cases {
		t.Run(c.name+" json", func(t *testing.T) {
			w := want{status: 200, ct: ctJSON, data: dataAbsent, code: c.code, msg: c.msg}
			check(t, ts.send(t, post("application/json", c.body)), w)
		})
		t.Run(c.name+" graphql-response+json", func(t *testing.T) {
			w := want{status: 400, ct: ctGQL, data: dataAbsent, code: c.code, msg: c.msg}
			check(t, ts.send(t, post(mediaGQL, c.body)), w)
		})
	}
}

// A field error happens during execution: data stays, next to the error,
// and the status is 200 with either media type.
func TestFieldErrorKeepsData(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	for _, m := range []struct{ accept, ct string }{{"", ctJSON}, {mediaGQL, ctGQL}} {
		got := ts.send(t, post(m.accept, gql("{ hello fail }")))
		check(t, got, want{status: 200, ct: m.ct, data: dataPresent, msg: "fail fails"})
		if d := string(got.entries["data"]); d != `{"fail":null,"hello":"world"}` {
			t.Errorf("data %s", d)
		}
	}
}

func TestMutationOverPOST(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	got := ts.send(t, post("", gql("mutation { bump }")))
	check(t, got, want{status: 200, ct: ctJSON, data: dataPresent})
	if ts.mutations.Load() != 1 {
		t.Fatalf("%d mutations ran, want 1", ts.mutations.Load())
	}
}

// Integers reach the resolvers as integers, exactly, past float64's 2^53.
func TestNumbersKeepTheirKind(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	const big = "9007199254740993"
	got := ts.send(t, post("", `{"query":"query($n: Int!) { echo(n: $n) }","variables":{"n":`+big+`}}`))
	check(t, got, want{status: 200, ct: ctJSON, data: dataPresent})
	if d := string(got.entries["data"]); d != `{"echo":`+big+`}` {
		t.Fatalf("data %s", d)
	}
	got = ts.send(t, get("", "query", "query($n: Int!) { echo(n: $n) }", "variables", `{"n":`+big+`}`))
	if d := string(got.entries["data"]); got.status != http.StatusOK || d != `{"echo":`+big+`}` {
		t.Fatalf("GET: %d %s", got.status, got.raw)
	}
}
