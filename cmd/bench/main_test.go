package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary be the plain-HTTP baseline when the
// harness starts itself again, as the bench binary is.
func TestMain(m *testing.M) {
	if addr := os.Getenv(plainEnv); addr != "" {
		if err := servePlain(addr, os.Getenv("DATABASE_URL")); err != nil {
			fmt.Fprintln(os.Stderr, "plain:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// logWriter shows the harness's progress in the test's log.
type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// TestHarnessRunsEveryScenario runs the whole benchmark at a tiny scale with
// short runs and checks that each run had successful answers and no
// GraphQL errors, and that the results file is written. It asserts nothing
// about speed: a slow or busy machine must not fail it.
func TestHarnessRunsEveryScenario(t *testing.T) {
	if _, err := exec.LookPath("pgbouncer"); err != nil {
		if _, err := os.Stat("/usr/sbin/pgbouncer"); err != nil {
			t.Fatal("pgbouncer is needed for the scale-out scenario: install Debian's package pgbouncer (CI does)")
		}
	}
	t.Setenv("DATABASE_URL", "") // always the throwaway cluster
	cfg, err := parseFlags([]string{"-scale", "0.001", "-duration", "1s", "-warmup", "0s", "-workers", "4",
		"-max-workers", "32", "-rate-inbox", "40", "-rate-writes", "20", "-rate-statistics", "5", "-rate-mix", "30",
		"-ngos", "5", "-caseworkers", "2", "-out", t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute) // a bound for a hung run, not a speed requirement
	defer cancel()
	rep, err := run(ctx, cfg, logWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, rep)
	path, err := rep.save(cfg.OutDir)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || !strings.Contains(string(b), "| hub | inbox |") {
		t.Fatalf("results file %s: %v\n%s", path, err, b)
	}
}

// checkRows wants every expected run, each with successes and no GraphQL
// errors.
func checkRows(t *testing.T, rep *report) {
	t.Helper()
	want := map[string]int{"hub": 8, scaleOutSetup: 4, "raw pgx (3 SELECTs)": 1, "raw pgx (hub inbox statement)": 1, "raw pgx (bare SELECT)": 1,
		plainHubPath: 1, "plain HTTP (bare SELECT)": 1}
	got := map[string]int{}
	for _, r := range rep.Rows {
		got[r.Setup]++
		if r.OK == 0 || r.GQLErrors > 0 {
			t.Errorf("%s %s %s: %d ok, %d GraphQL errors of %d: %v", r.Setup, r.Scenario, r.Load, r.OK, r.GQLErrors, r.Requests, r.Errors)
		}
	}
	for setup, n := range want {
		if got[setup] != n {
			t.Errorf("%d runs of %s, want %d", got[setup], setup, n)
		}
	}
	if len(rep.Notes) > 0 {
		t.Errorf("notes: %v", rep.Notes)
	}
}
