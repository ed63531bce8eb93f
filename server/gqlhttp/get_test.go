package gqlhttp_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"exithub/server/gqlhttp"
)

func TestGET(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	ok := want{status: 200, ct: ctJSON, data: dataPresent}
	bad := func(msg string) want {
		return want{status: 400, ct: ctJSON, data: dataAbsent, code: "BAD_USER_INPUT", msg: msg}
	}
	cases := []struct {
		name string
		kv   []string
		want want
	}{
		{"query", []string{"query", "{ hello }"}, ok},
		{"variables", []string{"query", "query($n: Int!) { echo(n: $n) }", "variables", `{"n":3}`}, ok},
		{"operationName", []string{"query", "query A { hello } query B { hello }", "operationName", "B"}, ok},
		{"extensions", []string{"query", "{ hello }", "extensions", `{"some":"value"}`}, ok},
		{"null variables", []string{"query", "{ hello }", "variables", "null"}, ok},
		{"no query", nil, bad("no query")},
		{"variables not JSON", []string{"query", "{ hello }", "variables", "{n:3}"}, bad("variables must be a JSON object")},
		{"variables with trailing data", []string{"query", "{ hello }", "variables", "{} {}"}, bad("variables must be a JSON object")},
		{"variables a list", []string{"query", "{ hello }", "variables", "[]"}, bad("variables must be a JSON object")},
		{"extensions a string", []string{"query", "{ hello }", "extensions", `"x"`}, bad("extensions must be a JSON object")},
		{"validation error", []string{"query", "{ nope }"}, want{status: 200, ct: ctJSON, data: dataAbsent, code: "GRAPHQL_VALIDATION_FAILED"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, ts.send(t, get("", c.kv...)), c.want)
		})
	}
}

// GET runs queries only: a mutation there could be triggered by a link or
// an image, so it gets 405 and Allow: POST, and does not run.
func TestGETRefusesMutationsAndSubscriptions(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	for _, q := range []string{"mutation { bump }", "query A { hello } mutation B { bump }", "subscription { tick }"} {
		for _, m := range []struct{ accept, ct string }{{"", ctJSON}, {mediaGQL, ctGQL}} {
			opName := ""
			if strings.Contains(q, "B {") {
				opName = "B"
			}
			got := ts.send(t, get(m.accept, "query", q, "operationName", opName))
			check(t, got, want{status: 405, ct: m.ct, data: dataAbsent, code: "BAD_USER_INPUT", msg: "POST", allow: http.MethodPost})
		}
	}
	if n := ts.mutations.Load(); n != 0 {
		t.Fatalf("%d mutations ran over GET", n)
	}
}

// A persisted query's hash alone is a query: registered by a POST, it can
// then be sent by GET with the hash in extensions.
func TestPersistedQueryOverGET(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	const q = "{ hello }"
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + sha256Hex(q) + `"}}`
	miss := ts.send(t, get("", "extensions", ext))
	check(t, miss, want{status: 200, ct: ctJSON, data: dataAbsent, code: "PERSISTED_QUERY_NOT_FOUND"})
	reg := ts.send(t, post("", `{"query":"`+q+`","extensions":`+ext+`}`))
	check(t, reg, want{status: 200, ct: ctJSON, data: dataPresent})
	hit := ts.send(t, get("", "extensions", ext))
	check(t, hit, want{status: 200, ct: ctJSON, data: dataPresent})
}

// GET transports added before the WebSocket one must leave the upgrade to
// it, as the test server's order shows.
func TestWebSocketUpgradeReachesWebSocketTransport(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws := "ws" + strings.TrimPrefix(ts.URL, "http")
	c, _, err := websocket.Dial(ctx, ws, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("WebSocket handshake: %v", err)
	}
	defer c.CloseNow()
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"type":"connection_init"}`)); err != nil {
		t.Fatal(err)
	}
	_, msg, err := c.Read(ctx)
	if err != nil || !strings.Contains(string(msg), "connection_ack") {
		t.Fatalf("no connection_ack: %s %v", msg, err)
	}
}
