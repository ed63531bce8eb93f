package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"exithub"
)

func TestRateLimitPerOrganisation(t *testing.T) {
	h := startHub(t, func(m *Main) { m.Config.RatePerSecond, m.Config.RateBurst = 1, 3 })
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
	if limited < 5 {
		t.Fatalf("%d of 10 rapid requests limited at 1/s with a burst of 3", limited)
	}
	// Another organisation has its own bucket.
	if r := h.do(h.token("101", exithub.RoleCaseworker), meQuery, nil); len(r.Errors) != 0 {
		t.Fatalf("another organisation was limited too: %s", r.raw)
	}
}

func TestMetricsCountOperations(t *testing.T) {
	h := startHub(t)
	h.must(h.token("101", exithub.RoleCaseworker), `query Who { me { sub } }`, nil)
	h.do(h.token("ministry", exithub.RoleAnalyst), `query Peek { citizens { edges { cursor } } }`, nil)
	resp, err := http.Get(h.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`exithub_graphql_operations_total{operation="Who",outcome="ok"} 1`,
		`exithub_graphql_operations_total{operation="Peek",outcome="FORBIDDEN"} 1`, "exithub_db_pool_connections",
		`exithub_graphql_duration_seconds_count{operation="Who"} 1`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("/metrics lacks %s in:\n%s", want, grepLines(string(b), "exithub_"))
		}
	}
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
