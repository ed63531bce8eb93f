package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"

	"exithub"
	"exithub/db/seed"
)

// inboxQuery is the NGO inbox as an NGO's client asks for it: a page of 20
// with organisations and history.
const inboxQuery = `{ referrals(first: 20) { edges { node { id status from { code } to { code } history { to actor } } } } }`

// BenchmarkInbox is the NGO inbox through the whole server (HTTP, JSON,
// GraphQL, policy, PostgreSQL), one request at a time, for benchstat
// comparisons of latency: go test ./cmd/exithub -run '^$' -bench Inbox -count 10.
func BenchmarkInbox(b *testing.B) {
	h := startHub(b, func(m *Main) { m.Config.RatePerSecond = 0 })
	tok := h.token("reden", exithub.RoleNGOWorker)
	h.must(tok, inboxQuery, nil)
	b.ReportAllocs()
	for b.Loop() {
		if r := h.do(tok, inboxQuery, nil); len(r.Errors) != 0 {
			b.Fatal(string(r.raw))
		}
	}
}

// BenchmarkInboxParallel is the same inbox from many clients at once
// (GOMAXPROCS×-cpu goroutines, each with its own connection), so that the
// figure is throughput: req/s is what the hub serves closed-loop, and
// queries/op how many SQL statements each request costs the database.
func BenchmarkInboxParallel(b *testing.B) {
	h := startHub(b, func(m *Main) { m.Config.RatePerSecond = 0 })
	tok := h.token("reden", exithub.RoleNGOWorker)
	h.must(tok, inboxQuery, nil)
	body := mustJSON(b, map[string]any{"query": inboxQuery})
	b.SetParallelism(4)
	b.ReportAllocs()
	q0 := h.main.DB.Queries()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		for pb.Next() {
			if err := postInbox(c, h.url, tok, body); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(h.main.DB.Queries()-q0)/float64(b.N), "queries/op")
}

// postInbox sends one inbox request and checks that it answered without
// errors; it reports rather than fails, as RunParallel's goroutines must.
func postInbox(c *http.Client, url, tok string, body []byte) error {
	req, err := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(raw, []byte(`"errors"`)) {
		return fmt.Errorf("inbox answered %d: %s", resp.StatusCode, raw)
	}
	return nil
}

// BenchmarkStatistics is the dashboard's table of persons helped through
// the whole server, for the hub's own CPU per statistics request (the
// database's part grows with the data; cmd/bench measures it at scale).
func BenchmarkStatistics(b *testing.B) {
	h := startHub(b, func(m *Main) { m.Config.RatePerSecond = 0 })
	tok := h.token("ministry", exithub.RoleAnalyst)
	vars := map[string]any{"d": "2014-03-18"}
	h.must(tok, statisticsQuery, vars)
	b.ReportAllocs()
	q0, cpu0 := h.main.DB.Queries(), processCPU(b)
	for b.Loop() {
		if r := h.do(tok, statisticsQuery, vars); len(r.Errors) != 0 {
			b.Fatal(string(r.raw))
		}
	}
	b.ReportMetric(float64(h.main.DB.Queries()-q0)/float64(b.N), "queries/op")
	b.ReportMetric(float64((processCPU(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

// groupedMonthQuery is cmd/bench's second statistics request: a closed
// month's release by serving municipality.
const groupedMonthQuery = `query MonthByMunicipality($d: Date!) {
  statistics(asOf: $d, groupBy: [MUNICIPALITY]) {
    categories { category courseState track municipality { code } persons { value suppressed } }
  }
}`

// BenchmarkStatisticsMonth is a closed month's release by municipality
// through the whole server, the release computed before the loop: what
// every read of a month costs once its release is stored. The national
// seed (a small scale: the release's shape, 98 municipalities and 200
// NGOs, does not depend on it) gives the release its full size.
func BenchmarkStatisticsMonth(b *testing.B) {
	h := startHub(b, func(m *Main) { m.Config.RatePerSecond = 0 })
	if _, err := seed.National(context.Background(), h.dbURL, 0.002); err != nil {
		b.Fatal(err)
	}
	tok := h.token("ministry", exithub.RoleAnalyst)
	vars := map[string]any{"d": "2019-03-31"}
	h.must(tok, groupedMonthQuery, vars)
	b.ReportAllocs()
	q0, cpu0 := h.main.DB.Queries(), processCPU(b)
	for b.Loop() {
		if r := h.do(tok, groupedMonthQuery, vars); len(r.Errors) != 0 {
			b.Fatal(string(r.raw))
		}
	}
	b.ReportMetric(float64(h.main.DB.Queries()-q0)/float64(b.N), "queries/op")
	b.ReportMetric(float64((processCPU(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

// processCPU is the user and system CPU this process (the hub and the
// benchmark's client; PostgreSQL runs apart) has used: per request, a
// figure the machine's other load changes less than the wall clock.
func processCPU(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
