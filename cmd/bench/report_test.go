package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sampleReport() *report {
	return &report{
		Started: time.Date(2026, 11, 25, 9, 5, 0, 0, time.UTC), Machine: machine{CPU: "AMD EPYC", Cores: 2, RAMGiB: 23.5, Kernel: "6.1"},
		PostgreSQL: "15.18", Go: "go1.26.8", Commit: "abc1234-dirty", Scale: 0.1, Seed: 90 * time.Second,
		Counts: []count{{"citizens", 100000}, {"referrals", 300000}},
		Rows: []row{{Setup: "hub", Scenario: "inbox", Load: "peak 16w", Requests: 1000, OK: 999, Elapsed: time.Second,
			Sent: 1000, P50: 10 * time.Millisecond, P99: 40 * time.Millisecond, CPUPerReq: 4400, DBCPUPerReq: 1800, SQLPerReq: 17, AllocsPerReq: 6000,
			PeakRSSKiB: 204800, RSSKiB: 102400, Errors: []string{"graphql INTERNAL: boom"}}},
		Ratios: []ratioLine{{"inbox peak ok/s: hub ÷ raw pgx", 0.4}},
		Notes:  []string{"scale-out skipped: pgbouncer is not installed"},
	}
}

func TestReportFileName(t *testing.T) {
	if got := sampleReport().fileName(); got != "2026-11-25-0905-scale0.1.md" {
		t.Fatalf("fileName = %s", got)
	}
}

func TestMarkdownHasHeaderTableRatiosAndNotes(t *testing.T) {
	md := sampleReport().markdown()
	for _, want := range []string{
		"# Exit Hub benchmark, scale 0.1",
		"- **date (UTC)**: 2026-11-25 09:05",
		"- **machine**: AMD EPYC, 2 cores, 23.5 GiB RAM, Linux 6.1",
		"- **commit**: abc1234-dirty",
		"- **seed time**: 1m30s",
		"- **rows**: citizens 100000, referrals 300000",
		"| hub | inbox | peak 16w | 1000 | 1000.0 | 999.0 | 99.90% | 10 ms | 40 ms | 4400 | 1800 | 17.0 | 6000 | 200 | 100 |",
		"| inbox peak ok/s: hub ÷ raw pgx | 0.40× |",
		"- scale-out skipped: pgbouncer is not installed",
		"- hub inbox peak 16w failures: graphql INTERNAL: boom",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestSaveWritesTheMarkdown(t *testing.T) {
	r := sampleReport()
	dir := filepath.Join(t.TempDir(), "bench", "results")
	path, err := r.save(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != r.markdown() || filepath.Dir(path) != dir {
		t.Fatalf("saved %s: %v", path, err)
	}
}

func TestRatiosCompareHubPeaks(t *testing.T) {
	rows := []row{
		{Setup: "hub", Scenario: "inbox", Load: "1000/s", OK: 5000, Elapsed: time.Second},
		{Setup: "hub", Scenario: "inbox", Load: "peak 16w", OK: 200, Elapsed: time.Second, CPUPerReq: 4000},
		{Setup: "raw pgx (3 SELECTs)", Scenario: "inbox", Load: "peak 8g", OK: 800, Elapsed: time.Second},
		{Setup: plainHubPath, Scenario: "inbox", Load: "peak 16w", OK: 400, Elapsed: time.Second, CPUPerReq: 2000},
		{Setup: scaleOutSetup, Scenario: "inbox", Load: "peak 16w", OK: 300, Elapsed: time.Second},
	}
	got := map[string]float64{}
	for _, l := range ratios(rows) {
		got[l.Name] = l.Value
	}
	want := map[string]float64{
		"inbox peak ok/s: hub ÷ raw pgx (3 SELECTs)":   0.25,
		"inbox peak ok/s: hub ÷ " + plainHubPath + "":  0.5,
		"inbox CPU µs/req: hub ÷ " + plainHubPath + "": 2,
		"inbox peak ok/s: " + scaleOutSetup + " ÷ hub": 1.5,
	}
	if len(got) != len(want) {
		t.Errorf("ratios %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}
