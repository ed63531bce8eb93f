package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db"
	"exithub/db/cluster"
	"exithub/db/seed"
	"exithub/graph/relay"
)

// TestCrashUnderWriteLoad stops PostgreSQL (immediate mode: a crash) in the
// middle of a sustained write load, and restarts it.
func TestCrashUnderWriteLoad(t *testing.T) {
	ctx := context.Background()
	c, err := cluster.StartTemp(ctx, cluster.TempOptions{Settings: map[string]string{"synchronous_commit": "on"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Remove()
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
	h := startHub(t, func(m *Main) { m.DatabaseURL = url })
	f := newReferral(t, h, "reden")
	load := newWriteLoad(h, f)
	load.start(4)
	time.Sleep(time.Second)

	if err := c.Stop(ctx, "immediate"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	// A read of the database: `me` is answered from the token and the
	// directory the server keeps in memory, and needs no database.
	r := h.do(f.cw, `query($id: ID!) { referral(id: $id) { id } }`, map[string]any{"id": f.referral})
	if r.code() != exithub.EUNAVAILABLE || time.Since(start) > 3*time.Second {
		t.Fatalf("while the database is down: %s after %v; want UNAVAILABLE, fast", r.raw, time.Since(start))
	}
	if code := status(t, h.url+"/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz while down: %d", code)
	}
	time.Sleep(time.Second)
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitReady(t, h.url)
	acked := load.stop()
	if load.refused == 0 {
		t.Fatal("no write was refused: the crash did not happen under load")
	}
	load.retryFailed(t)
	checkNoneLostNoneDuplicated(t, url, acked, load.keys())
}

type writeLoad struct {
	h       *hub
	f       referralFixture
	mu      sync.Mutex
	acked   map[string]string // key → referral id
	failed  map[string]bool
	all     map[string]bool
	refused int // attempts refused while the database was down
	done    chan struct{}
	wg      sync.WaitGroup
}

func newWriteLoad(h *hub, f referralFixture) *writeLoad {
	return &writeLoad{h: h, f: f, acked: map[string]string{}, failed: map[string]bool{}, all: map[string]bool{}, done: make(chan struct{})}
}

func (l *writeLoad) start(writers int) {
	for w := 0; w < writers; w++ {
		l.wg.Add(1)
		go func(w int) {
			defer l.wg.Done()
			// Like a careful client: a refused write is retried with the
			// same idempotency key, after a pause, until it succeeds.
			for i := 0; ; i++ {
				key := fmt.Sprintf("load-%d-%d", w, i)
				for !l.write(key) {
					select {
					case <-l.done:
						return
					case <-time.After(50 * time.Millisecond):
					}
				}
				select {
				case <-l.done:
					return
				default:
				}
			}
		}(w)
	}
}

func (l *writeLoad) write(key string) bool {
	r := l.h.do(l.f.cw, referMutation, map[string]any{"in": map[string]any{"citizenId": l.f.citizenID, "to": "reden",
		"needs": []string{"HOUSING"}, "message": "load " + key, "contact": "c", "idempotencyKey": key}})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all[key] = true
	if id, ok := get(r.Data, "createReferral", "id").(string); ok && len(r.Errors) == 0 {
		l.acked[key] = id
		delete(l.failed, key)
		return true
	}
	l.failed[key] = true
	l.refused++
	return false
}

func (l *writeLoad) stop() map[string]string {
	close(l.done)
	l.wg.Wait()
	out := map[string]string{}
	for k, v := range l.acked {
		out[k] = v
	}
	return out
}

// retryFailed retries every refused write with its idempotency key, as a
// client would, until each succeeds.
func (l *writeLoad) retryFailed(t *testing.T) {
	deadline := time.Now().Add(30 * time.Second)
	for len(l.failed) > 0 && time.Now().Before(deadline) {
		for k := range l.failed {
			l.write(k)
		}
	}
	if len(l.failed) > 0 {
		t.Fatalf("%d writes still fail after the restart", len(l.failed))
	}
}

func (l *writeLoad) keys() map[string]bool { return l.all }

func checkNoneLostNoneDuplicated(t *testing.T, url string, acked map[string]string, keys map[string]bool) {
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for key, id := range acked {
		var n int
		conn.QueryRow(context.Background(), "SELECT count(*) FROM hub.referrals WHERE id = $1 AND message = $2",
			relay.IDOf("Referral", id), "load "+key).Scan(&n)
		if n != 1 {
			t.Fatalf("acknowledged referral %s (key %s) is lost after the crash", id, key)
		}
	}
	var rows, distinct int
	conn.QueryRow(context.Background(), "SELECT count(*), count(DISTINCT message) FROM hub.referrals WHERE message LIKE 'load %'").Scan(&rows, &distinct)
	if rows != distinct || rows != len(keys) {
		t.Fatalf("%d referrals for %d distinct keys (%d tried): duplicates or losses", rows, distinct, len(keys))
	}
	t.Logf("%d writes, %d acknowledged before or during the crash; none lost, none duplicated", len(keys), len(acked))
}

func status(t *testing.T, url string) int {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func waitReady(t *testing.T, base string) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if status(t, base+"/readyz") == http.StatusOK {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("/readyz did not turn green after the restart")
}
