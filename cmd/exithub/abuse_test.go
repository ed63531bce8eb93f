package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"exithub"
	"exithub/server"
)

// Operations over one WebSocket take from the same per-organisation budget
// as HTTP requests: past the burst they are refused, and so is the next
// HTTP request of the organisation.
func TestWebSocketOperationsShareTheRateLimit(t *testing.T) {
	h := startHub(t, func(m *Main) { m.Config.RatePerSecond, m.Config.RateBurst = 0.01, 10 })
	tok := h.token("101", exithub.RoleCaseworker)
	ws := dialWS(t, h.url, tok)
	for i := range 30 {
		ws.subscribe(fmt.Sprint(i), `query { me { sub } }`)
	}
	limited := 0
	for done := 0; done < 30; {
		m := ws.read(10 * time.Second)
		if m == nil {
			t.Fatalf("only %d of 30 operations answered", done)
		}
		switch m["type"] {
		case "complete":
			done++
		case "next", "error":
			if strings.Contains(fmt.Sprint(m["payload"]), exithub.ERATELIMITED) {
				limited++
			}
		}
	}
	if limited != 20 {
		t.Fatalf("%d of 30 operations over a burst of 10 were refused, want 20", limited)
	}
	if r := h.do(tok, meQuery, nil); r.Status != http.StatusTooManyRequests {
		t.Fatalf("after the socket spent the budget, HTTP answered %d: %s", r.Status, r.raw)
	}
}

// Requests without a valid token are limited per client address before
// their token is read; their refusals are counted in metrics and audited
// as one record per address and minute, not a row each.
func TestUnauthenticatedRequestsAreLimitedPerAddress(t *testing.T) {
	proxies, err := server.ParseTrustedProxies("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	h := startHub(t, func(m *Main) {
		m.Config.AnonRatePerSecond, m.Config.AnonBurst = 0.01, 5
		m.Config.TrustedProxies = proxies
	})
	statuses := map[int]int{}
	for range 30 {
		statuses[h.do("abc.def.ghi", meQuery, nil).Status]++
	}
	if statuses[401] != 5 || statuses[429] != 25 {
		t.Fatalf("30 garbage tokens from one address answered %v, want 5×401 and 25×429", statuses)
	}
	// Another client behind the trusted proxy has a budget of its own;
	// a valid token from the blocked address is refused before it is read.
	if r := doFrom(t, h, "203.0.113.9", "abc.def.ghi"); r != 401 {
		t.Fatalf("another client behind the proxy got %d", r)
	}
	if r := h.do(h.token("101", exithub.RoleCaseworker), meQuery, nil); r.Status != 429 {
		t.Fatalf("the blocked address got %d", r.Status)
	}
	metrics := scrape(t, h)
	for _, want := range []string{`exithub_unauthenticated_requests_total{outcome="refused"} 6`, `exithub_unauthenticated_requests_total{outcome="rate_limited"} 26`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	conn := owner(t, h)
	rows := func() int {
		var n int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM hub.audit_log WHERE outcome = 'UNAUTHENTICATED'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := rows(); n != 0 {
		t.Fatalf("%d audit rows before the minute's record", n)
	}
	h.main.Server.FlushRefusals(context.Background())
	var n int
	err = conn.QueryRow(context.Background(), `SELECT count(*) FROM hub.audit_log WHERE outcome = 'UNAUTHENTICATED'
		AND ((sub = '127.0.0.1' AND operation = 'refused requests: 31') OR (sub = '203.0.113.9' AND operation = 'refused requests: 1'))`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || rows() != 2 {
		t.Fatalf("want one audit record per address, got %d matching of %d", n, rows())
	}
}

func doFrom(t *testing.T, h *hub, forwardedFor, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url+"/graphql", strings.NewReader(`{"query":"{ me { sub } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Forwarded-For", forwardedFor)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func scrape(t *testing.T, h *hub) string {
	t.Helper()
	resp, err := http.Get(h.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Operation names a client chooses never become metric labels: only the
// names of the hub's clients' operations (and the allow-list's) do.
func TestMetricsLabelsAreBounded(t *testing.T) {
	h := startHub(t)
	tok := h.token("101", exithub.RoleCaseworker)
	for i := range 50 {
		h.must(tok, fmt.Sprintf("query cpr_0101901234_maja_%d { me { sub } }", i), nil)
	}
	h.must(tok, "query Me { me { sub } }", nil)
	m := scrape(t, h)
	if strings.Contains(m, "cpr_") || strings.Contains(m, "maja") {
		t.Fatalf("a client-chosen name is a label:\n%s", grepLines(m, "cpr_"))
	}
	for _, want := range []string{`operation="other",outcome="ok"} 50`, `operation="Me",outcome="ok"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s in:\n%s", want, grepLines(m, "exithub_graphql_operations_total"))
		}
	}
}

// A socket that never sends connection_init is closed with 4408; sockets
// over the instance's cap are refused at the upgrade, and over the
// organisation's cap at connection_init.
func TestWebSocketTimeoutAndCaps(t *testing.T) {
	h := startHub(t, func(m *Main) {
		m.Config.WebSocketInitTimeout = 300 * time.Millisecond
		m.Config.MaxWebSockets, m.Config.MaxWebSocketsPerOrg = 3, 1
	})
	silent := rawWS(t, h)
	if err := silent.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	_, _, err := silent.ReadMessage()
	if !websocket.IsCloseError(err, 4408) {
		t.Fatalf("a socket without connection_init: %v, want close 4408", err)
	}
	dialWS(t, h.url, h.token("101", exithub.RoleCaseworker))
	second := rawWS(t, h)
	if err := second.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + h.token("101", exithub.RoleCaseworker)}}); err != nil {
		t.Fatal(err)
	}
	if err := second.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	var refused bool
	for {
		var m map[string]any
		if err := second.ReadJSON(&m); err != nil {
			refused = refused || websocket.IsCloseError(err, 1013)
			break
		}
		if m["type"] == "connection_ack" {
			t.Fatal("a second socket of the same organisation was acknowledged over a cap of 1")
		}
		refused = refused || m["type"] == "connection_error"
	}
	if !refused {
		t.Fatal("the socket over the organisation's cap was not refused")
	}
	dialWS(t, h.url, h.token("reden", exithub.RoleNGOWorker))
	rawWS(t, h) // the third, silent until its timeout
	u := "ws" + strings.TrimPrefix(h.url, "http") + "/graphql"
	_, resp, err := (&websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}).Dial(u, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("a fourth socket over a cap of 3: %v %v", err, resp)
	}
}

func rawWS(t *testing.T, h *hub) *websocket.Conn {
	t.Helper()
	u := "ws" + strings.TrimPrefix(h.url, "http") + "/graphql"
	conn, _, err := (&websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}).Dial(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Idle keep-alive connections and slow request bodies are closed by the
// server's timeouts.
func TestSlowAndIdleConnectionsAreClosed(t *testing.T) {
	h := startHub(t, func(m *Main) {
		m.Config.IdleTimeout, m.Config.ReadTimeout = 300*time.Millisecond, 500*time.Millisecond
	})
	addr := strings.TrimPrefix(h.url, "http://")
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	if _, err := fmt.Fprintf(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(idle)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitClosed(t, idle, r, "an idle keep-alive connection")

	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	if _, err := fmt.Fprintf(slow, "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\""); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, slow, bufio.NewReader(slow), "a request whose body never arrives")
}

// waitClosed reads until the server closes the connection; the deadline
// is only a guard against a server that never does.
func waitClosed(t *testing.T, c net.Conn, r *bufio.Reader, what string) {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	_, err := io.Copy(io.Discard, r)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s stayed open", what)
	}
}

// Every /graphql answer, success or refusal, says not to store or sniff it.
func TestGraphQLAnswersAreNotStored(t *testing.T) {
	h := startHub(t)
	tok := h.token("101", exithub.RoleCaseworker)
	for name, req := range map[string]struct{ token, query string }{
		"ok": {tok, meQuery}, "unauthenticated": {"", meQuery}, "parse error": {tok, "{ me {"},
	} {
		body, err := json.Marshal(map[string]any{"query": req.query})
		if err != nil {
			t.Fatal(err)
		}
		r, err := http.NewRequest(http.MethodPost, h.url+"/graphql", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/json")
		if req.token != "" {
			r.Header.Set("Authorization", "Bearer "+req.token)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: Cache-Control %q, X-Content-Type-Options %q", name, resp.Header.Get("Cache-Control"), resp.Header.Get("X-Content-Type-Options"))
		}
	}
}

// Outside --dev no error suggests a name: not of a field, an argument, an
// input field, an enum value or a type.
func TestNoSuggestionsOfAnyKind(t *testing.T) {
	h := startHub(t)
	tok := h.token("101", exithub.RoleCaseworker)
	for name, q := range map[string]string{
		"field":       `{ me { subb } }`,
		"argument":    `{ referrals(frist: 1) { edges { cursor } } }`,
		"input field": `{ referrals(filter: { statuss: SENT }) { edges { cursor } } }`,
		"enum value":  `{ referrals(filter: { status: SENTT }) { edges { cursor } } }`,
		"type":        `query ($f: ReferalFilter) { referrals(filter: $f) { edges { cursor } } }`,
	} {
		r := h.do(tok, q, nil)
		if r.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("%s: %s", name, r.raw)
		}
		if strings.Contains(string(r.raw), "Did you mean") {
			t.Errorf("%s: a suggestion: %s", name, r.raw)
		}
	}
}

// Persisted queries answer the codes Apollo's clients act on, never
// INTERNAL.
func TestPersistedQueryErrors(t *testing.T) {
	h := startHub(t)
	tok := h.token("101", exithub.RoleCaseworker)
	sum := sha256.Sum256([]byte(meQuery))
	hash := hex.EncodeToString(sum[:])
	other := strings.Repeat("ab", 32)
	for name, c := range map[string]struct {
		query, hash string
		version     int
		code        string
	}{
		"unknown hash":      {"", other, 1, "PERSISTED_QUERY_NOT_FOUND"},
		"mismatched hash":   {meQuery, other, 1, exithub.EINVALID},
		"malformed hash":    {meQuery, "xyz", 1, exithub.EINVALID},
		"unknown version":   {meQuery, hash, 2, "PERSISTED_QUERY_NOT_SUPPORTED"},
		"hash of its query": {meQuery, hash, 1, ""},
	} {
		r := h.doExt(tok, c.query, map[string]any{"persistedQuery": map[string]any{"version": c.version, "sha256Hash": c.hash}})
		if r.code() != c.code {
			t.Errorf("%s: got %q, want %q: %s", name, r.code(), c.code, r.raw)
		}
	}
	if r := h.doExt(tok, "", map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}); r.code() != "" {
		t.Errorf("the remembered hash: %s", r.raw)
	}
	for _, l := range h.logs.Lines() {
		if strings.Contains(l, `"level":"ERROR"`) {
			t.Errorf("logged an error: %s", l)
		}
	}
}

// doExt posts a query with request extensions.
func (h *hub) doExt(token, query string, ext map[string]any) gqlResponse {
	h.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "extensions": ext})
	if err != nil {
		h.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, h.url+"/graphql", strings.NewReader(string(body)))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	out := gqlResponse{Status: resp.StatusCode, raw: raw}
	if err := json.Unmarshal(raw, &out); err != nil {
		h.t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return out
}

// The attack, 30 aliases of 100 citizens each with 100 audit
// records, is refused for its cost before any resolver runs: no audit row
// is written. Under the cost limit, one request still touches at most
// MaxAuditObjects personal objects, over all its resolvers.
func TestOneRequestTouchesABoundedNumberOfObjects(t *testing.T) {
	h := startHub(t, func(m *Main) { m.Config.MaxAuditObjects = 5 })
	tok := h.token("101", exithub.RoleCaseworker)
	var attack strings.Builder
	attack.WriteString("query Attack {")
	for i := range 30 {
		fmt.Fprintf(&attack, " c%d: citizens(first: 100) { edges { node { id accessLog(first: 100) { edges { node { id objects { id type } } } } } } }", i)
	}
	attack.WriteString(" }")
	r := h.do(tok, attack.String(), nil)
	if r.code() != "COMPLEXITY_LIMIT_EXCEEDED" || r.Errors[0].Extensions["cost"] == nil {
		t.Fatalf("the attack: %s", r.raw)
	}
	r = h.do(tok, `query Two { a: citizens(first: 4) { edges { node { id } } } b: citizens(first: 4) { edges { node { id } } } }`, nil)
	if len(r.Errors) != 1 || r.code() != exithub.EINVALID {
		t.Fatalf("8 citizens over a budget of 5: %s", r.raw)
	}
	conn := owner(t, h)
	var rows, objects int
	err := conn.QueryRow(context.Background(), `SELECT count(*), coalesce(sum(jsonb_array_length(objects)), 0) FROM hub.audit_log
		WHERE operation IN ('Attack', 'Two') AND outcome = 'OK'`).Scan(&rows, &objects)
	if err != nil {
		t.Fatal(err)
	}
	if rows != 1 || objects > 5 {
		t.Fatalf("the requests wrote %d audit rows with %d objects; want one row of at most 5", rows, objects)
	}
}

// connection_init with a bad token spends the address's budget as an HTTP
// request does; past it, the socket is refused before its token is read.
func TestWebSocketInitsShareTheAnonymousLimit(t *testing.T) {
	h := startHub(t, func(m *Main) { m.Config.AnonRatePerSecond, m.Config.AnonBurst = 0.01, 3 })
	for i := range 5 {
		c := rawWS(t, h)
		if err := c.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer abc.def.ghi"}}); err != nil {
			t.Fatal(err)
		}
		if err := c.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
			t.Fatal(err)
		}
		for {
			var m map[string]any
			if err := c.ReadJSON(&m); err != nil {
				break
			}
			if m["type"] == "connection_ack" {
				t.Fatalf("init %d with a garbage token was acknowledged", i)
			}
		}
	}
	if r := h.do("abc.def.ghi", meQuery, nil); r.Status != http.StatusTooManyRequests {
		t.Fatalf("after 5 failed inits over a burst of 3, HTTP answered %d", r.Status)
	}
	m := scrape(t, h)
	for _, want := range []string{`exithub_unauthenticated_requests_total{outcome="refused"} 3`, `exithub_unauthenticated_requests_total{outcome="rate_limited"} 3`} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s in:\n%s", want, grepLines(m, "unauthenticated"))
		}
	}
}

// The HTTP server's read and write timeouts do not cut WebSockets short:
// a socket is bounded by its token and the init timeout instead.
func TestWebSocketsOutliveHTTPTimeouts(t *testing.T) {
	const timeout = 200 * time.Millisecond
	h := startHub(t, func(m *Main) { m.Config.ReadTimeout, m.Config.WriteTimeout = timeout, timeout })
	tok := h.token("101", exithub.RoleCaseworker)
	ws := dialWS(t, h.url, tok)
	// A request opened after the socket is cut by the read timeout; by then
	// the socket's read and write deadlines, had they been kept, were past.
	awaitReadTimeout(t, h, tok, timeout)
	ws.subscribe("1", `query { me { sub } }`)
	if m := ws.read(10 * time.Second); m == nil || m["type"] != "next" {
		t.Fatalf("after the HTTP timeouts the socket answered %v", m)
	}
}

// awaitReadTimeout sends a request whose body never comes and returns once
// the server gives up on it at its read timeout, which shows the timeout in
// force and past for every connection accepted before.
func awaitReadTimeout(t *testing.T, h *hub, tok string, timeout time.Duration) {
	t.Helper()
	start := time.Now()
	c, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = fmt.Fprintf(c, "POST /graphql HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n", tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(c); err != nil {
		t.Fatalf("the server kept a request whose body never came: %v", err)
	}
	if took := time.Since(start); took < timeout {
		t.Fatalf("a request whose body never came ended after %v, before the read timeout of %v", took, timeout)
	}
}
