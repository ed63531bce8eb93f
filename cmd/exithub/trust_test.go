package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"exithub"
	"exithub/server"
)

func TestRateLimitPerOrganisation(t *testing.T) {
	// So low a rate that no token comes back during the test: the burst
	// alone decides, whatever the machine's speed.
	h := startHub(t, func(m *Main) { m.Config.RatePerSecond, m.Config.RateBurst = 0.001, 3 })
	reden := h.token("reden", exithub.RoleNGOWorker)
	limited := 0
	for i := 0; i < 10; i++ {
		r := h.do(reden, meQuery, nil)
		if r.code() == exithub.ERATELIMITED {
			if r.Status != http.StatusTooManyRequests {
				t.Fatalf("RATE_LIMITED with status %d", r.Status)
			}
			limited++
		}
	}
	if limited != 7 {
		t.Fatalf("%d of 10 requests limited with a burst of 3, want 7", limited)
	}
	// Another organisation has its own bucket.
	if r := h.do(h.token("101", exithub.RoleCaseworker), meQuery, nil); len(r.Errors) != 0 {
		t.Fatalf("another organisation was limited too: %s", r.raw)
	}
}

func TestMetricsCountOperations(t *testing.T) {
	h := startHub(t)
	before := dbQueries(t, h)
	// Names of the hub's clients' operations are labels; others are "other".
	h.must(h.token("101", exithub.RoleCaseworker), `query Me { me { sub } }`, nil)
	h.do(h.token("ministry", exithub.RoleAnalyst), `query Peek { citizens { edges { cursor } } }`, nil)
	resp, err := http.Get(h.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`exithub_graphql_operations_total{operation="Me",outcome="ok"} 1`,
		`exithub_graphql_operations_total{operation="other",outcome="FORBIDDEN"} 1`, "exithub_db_pool_connections",
		`exithub_graphql_duration_seconds_count{operation="Me"} 1`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("/metrics lacks %s in:\n%s", want, grepLines(string(b), "exithub_"))
		}
	}
	// The refusal's audit record is one INSERT at least.
	if queries := dbQueries(t, h) - before; queries < 1 {
		t.Errorf("exithub_db_queries_total grew by %v over a refused read, want at least 1", queries)
	}
}

// dbQueries reads exithub_db_queries_total from the hub's /metrics.
func dbQueries(t *testing.T, h *hub) float64 {
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
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "exithub_db_queries_total "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("/metrics lacks exithub_db_queries_total")
	return 0
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestAllowListAdmitsOnlyKnownOperations(t *testing.T) {
	dir := t.TempDir()
	ops := "query Who {\n  me { sub role }\n}\nfragment O on Organisation { code }\nquery Orgs { organisations { ...O } }\n"
	if err := os.WriteFile(filepath.Join(dir, "ops.graphql"), []byte(ops), 0o600); err != nil {
		t.Fatal(err)
	}
	h := startHub(t, func(m *Main) {
		var err error
		if m.Config.AllowList, err = server.LoadAllowList(dir); err != nil {
			t.Fatal(err)
		}
	})
	tok := h.token("101", exithub.RoleCaseworker)
	if r := h.do(tok, "query Who { me {\n sub\n role } }", nil); len(r.Errors) != 0 {
		t.Fatalf("an allowed operation, reformatted: %s", r.raw)
	}
	if r := h.do(tok, "fragment O on Organisation { code } query Orgs { organisations { ...O } }", nil); len(r.Errors) != 0 {
		t.Fatalf("an allowed operation with a fragment: %s", r.raw)
	}
	if r := h.do(tok, "query Who { me { sub role organisation { name } } }", nil); r.code() != exithub.EFORBIDDEN {
		t.Fatalf("an operation off the list: %s", r.raw)
	}
}

func TestAutomaticPersistedQueries(t *testing.T) {
	h := startHub(t)
	tok := h.token("101", exithub.RoleCaseworker)
	q := "{ me { sub } }"
	sum := sha256.Sum256([]byte(q))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	post := func(body map[string]any) gqlResponse {
		b := mustJSON(t, body)
		req, err := http.NewRequest(http.MethodPost, h.url+"/graphql", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		var out gqlResponse
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, raw)
		}
		out.raw = raw
		return out
	}
	if r := post(map[string]any{"extensions": ext}); !strings.Contains(string(r.raw), "PersistedQueryNotFound") {
		t.Fatalf("an unknown hash: %s", r.raw)
	}
	if r := post(map[string]any{"query": q, "extensions": ext}); len(r.Errors) != 0 {
		t.Fatalf("registering: %s", r.raw)
	}
	if r := post(map[string]any{"extensions": ext}); get(r.Data, "me", "sub") != "caseworker@101" {
		t.Fatalf("by hash alone: %s", r.raw)
	}
}

func TestTracingCanBeSwitchedOn(t *testing.T) {
	var spans syncBuffer
	h := startHub(t, func(m *Main) { m.Tracing, m.TraceOut = "stdout", &spans })
	h.must(h.token("101", exithub.RoleCaseworker), `query Me { me { sub } }`, nil)
	if err := h.main.Close(context.Background()); err != nil { // flushes the batch
		t.Fatal(err)
	}
	out := strings.Join(spans.Lines(), "\n")
	if !strings.Contains(out, `"graphql Me"`) || !strings.Contains(out, `"POST /graphql"`) {
		t.Fatalf("no spans for the request: %.500s", out)
	}
}
