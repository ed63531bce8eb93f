package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"exithub"
	"exithub/auth"
	"exithub/db"
	"exithub/db/pgtest"
	"exithub/db/seed"
	"exithub/server"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, db.Migrate)) }

// hub is a running server on its own database, as end-to-end tests see it.
type hub struct {
	t     testing.TB
	main  *Main
	keys  *auth.KeyDir
	url   string
	dbURL string
	logs  *syncBuffer
}

// startHub starts a real server (the same Main as `exithub serve`) on a
// fresh database with the demo data, on a random port.
func startHub(t testing.TB, mutate ...func(*Main)) *hub {
	t.Helper()
	ctx := context.Background()
	dbURL := pgtest.NewDatabase(t)
	if err := seed.Demo(ctx, dbURL, []byte("e2e test key")); err != nil {
		t.Fatal(err)
	}
	keysDir := t.TempDir()
	keys, err := auth.OpenKeyDir(keysDir)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	m := NewMain()
	m.Log = server.NewLogger(logs, slog.LevelDebug)
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--keys", keysDir}); err != nil {
		t.Fatal(err)
	}
	m.DatabaseURL = dbURL
	t.Setenv("EXITHUB_PSEUDONYM_KEY", "e2e test key")
	for _, f := range mutate {
		f(m)
	}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(context.Background()); err != nil {
			t.Errorf("the hub did not close cleanly: %v", err)
		}
	})
	return &hub{t: t, main: m, keys: keys, url: "http://" + m.Server.Addr(), dbURL: dbURL, logs: logs}
}

func (h *hub) token(org string, role exithub.Role) string {
	h.t.Helper()
	tok, err := h.keys.Mint(auth.Claims{Sub: string(role) + "@" + org, Org: org, Role: role}, time.Hour)
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

// gqlResponse is a GraphQL response as a client reads it.
type gqlResponse struct {
	Status int
	Data   map[string]any
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	}
	raw []byte
}

func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// mustJSON is v encoded as JSON.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// do posts a GraphQL request with a token ("" for none).
func (h *hub) do(token, query string, vars map[string]any) gqlResponse {
	h.t.Helper()
	body := mustJSON(h.t, map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, h.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("reading the response (%d): %v", resp.StatusCode, err)
	}
	out := gqlResponse{Status: resp.StatusCode, raw: raw}
	if err := json.Unmarshal(raw, &out); err != nil {
		h.t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return out
}

// must fails the test on any GraphQL error and returns the data.
func (h *hub) must(token, query string, vars map[string]any) map[string]any {
	h.t.Helper()
	r := h.do(token, query, vars)
	if len(r.Errors) > 0 {
		for _, l := range h.logs.Lines() {
			if strings.Contains(l, `"level":"ERROR"`) {
				h.t.Log(l)
			}
		}
		h.t.Fatalf("unexpected errors: %s", r.raw)
	}
	return r.Data
}

// syncBuffer collects log output from concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Lines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Split(strings.TrimSpace(b.buf.String()), "\n")
}

// get walks a path of keys through decoded JSON.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}
