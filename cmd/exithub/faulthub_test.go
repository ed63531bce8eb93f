package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/auth"
	"exithub/db"
	"exithub/db/cluster"
	"exithub/db/pgtest"
	"exithub/db/seed"
	"exithub/server"
)

// faultHub is a hub on a throwaway PostgreSQL cluster of its own, which a
// test may stop, crash, freeze or starve of disk without disturbing the
// other tests' cluster.
type faultHub struct {
	*hub
	c     *cluster.Cluster
	super string // the superuser's URL of the hub's database
}

// startFaultHub starts a cluster (every commit durable, so that a crash
// loses nothing acknowledged), the demo data and a hub on it.
func startFaultHub(t *testing.T, mutate ...func(*Main)) *faultHub {
	t.Helper()
	ctx := context.Background()
	c, err := cluster.StartTemp(ctx, cluster.TempOptions{Settings: map[string]string{"synchronous_commit": "on"}, Dir: pgtest.TempDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Remove(); err != nil {
			t.Errorf("remove the cluster: %v", err)
		}
	})
	if err := c.CreateDatabase(ctx, "hub", ""); err != nil {
		t.Fatal(err)
	}
	url := c.URL("hub")
	if err := db.Migrate(ctx, url); err != nil {
		t.Fatal(err)
	}
	if err := seed.Demo(ctx, url, []byte("e2e test key")); err != nil {
		t.Fatal(err)
	}
	return &faultHub{hub: startHubAt(t, url, mutate...), c: c, super: url}
}

// startHubAt starts a server, as `exithub serve` does, on a given database.
func startHubAt(t *testing.T, dbURL string, mutate ...func(*Main)) *hub {
	t.Helper()
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
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(context.Background()); err != nil {
			t.Errorf("the hub did not close cleanly: %v", err)
		}
	})
	<-m.listener.Ready()
	return &hub{t: t, main: m, keys: keys, url: "http://" + m.Server.Addr(), dbURL: dbURL, logs: logs}
}

// admin connects as the superuser, for what the test does to the database.
func (f *faultHub) admin(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), f.super)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// answer is what a client got: the GraphQL response, its status and headers.
type answer struct {
	gqlResponse
	header http.Header
}

func (a answer) retryable() bool {
	return len(a.Errors) > 0 && a.Errors[0].Extensions["retryable"] == true
}

// post sends a GraphQL request as a client would, safe to call from any
// goroutine: failures are returned, not reported to the test.
func post(base, token, query string, vars map[string]any) (answer, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return answer{}, err
	}
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	a := answer{gqlResponse: gqlResponse{Status: resp.StatusCode, raw: raw}, header: resp.Header}
	if err := json.Unmarshal(raw, &a.gqlResponse); err != nil {
		return a, fmt.Errorf("response is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return a, nil
}

// checkRetryable fails unless a is UNAVAILABLE as the README promises: HTTP
// 200, extensions.retryable and a Retry-After.
func checkRetryable(t *testing.T, what string, a answer) {
	t.Helper()
	if a.code() != exithub.EUNAVAILABLE || !a.retryable() || a.Status != http.StatusOK || a.header.Get("Retry-After") == "" {
		t.Fatalf("%s: HTTP %d, Retry-After %q, %s; want 200, UNAVAILABLE, retryable, Retry-After",
			what, a.Status, a.header.Get("Retry-After"), a.raw)
	}
}

// waitUntil polls cond, the event a test waits for, until it holds or the
// deadline passes; it returns how long that took.
func waitUntil(t *testing.T, deadline time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > deadline {
			t.Fatalf("no %s within %v", what, deadline)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// waitBackend returns the pid of the backend whose statement starts with
// prefix and waits on a lock, once there is one.
func waitBackend(t *testing.T, admin *pgx.Conn, prefix string) int {
	t.Helper()
	var pid int
	waitUntil(t, 10*time.Second, "backend waiting in "+prefix, func() bool {
		err := admin.QueryRow(context.Background(), `SELECT pid FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND query LIKE $1 || '%' LIMIT 1`, prefix).Scan(&pid)
		if err != nil && err != pgx.ErrNoRows {
			t.Fatal(err)
		}
		return err == nil
	})
	return pid
}

// postgresPIDs returns the postmaster's pid and its children's.
func (f *faultHub) postgresPIDs(t *testing.T) []int {
	t.Helper()
	pids, err := f.c.Processes()
	if err != nil {
		t.Fatal(err)
	}
	return pids
}

// signalAll sends sig to every process of pids.
func signalAll(t *testing.T, pids []int, sig syscall.Signal) {
	t.Helper()
	for _, pid := range pids {
		if err := syscall.Kill(pid, sig); err != nil && err != syscall.ESRCH {
			t.Fatalf("signal %v to %d: %v", sig, pid, err)
		}
	}
}

// readyStatus is /readyz's status code, or 0 when it does not answer.
func readyStatus(base string) int {
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
