package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"exithub/db"
	"exithub/db/cluster"
	"exithub/db/pgtest"
	"exithub/db/seed"
	"exithub/graph/relay"
)

// delivered is a read whose data reached the client: its request id and
// the referrals it showed.
type delivered struct {
	requestID string
	ids       []string
}

// TestNoReadDeliveredWithoutItsAuditRecord reads the inbox from many
// clients while PostgreSQL stops (immediate mode: a crash) and the hub is
// killed, with audit batches in flight; after PostgreSQL restarts, every
// response that carried data has its committed audit record naming what it
// showed.
func TestNoReadDeliveredWithoutItsAuditRecord(t *testing.T) {
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
	hub, base, token := startHubProcess(t, url)
	load := newReadLoad(base, token)
	load.start(8)
	<-load.enough // reads are being delivered, and their batches written

	if err := c.Stop(ctx, "immediate"); err != nil {
		t.Fatal(err)
	}
	if err := hub.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	got, failed := load.stop()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if failed == 0 {
		t.Fatal("no read failed: the crash did not happen with reads in flight")
	}
	checkEveryDeliveredReadAudited(t, url, got)
	t.Logf("%d reads delivered before the crash, each with its audit record; %d cut off", len(got), failed)
}

// startHubProcess builds and starts `exithub serve` as a process of its
// own, so that the test can kill it, and returns an NGO worker's token.
func startHubProcess(t *testing.T, url string) (*exec.Cmd, string, string) {
	bin := filepath.Join(t.TempDir(), "exithub")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr, keys := freeAddr(t), t.TempDir()
	cmd := exec.Command(bin, "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+url, "EXITHUB_KEYS="+keys, "EXITHUB_PSEUDONYM_KEY=e2e test key",
		// Batches that wait long enough to be caught in flight.
		"EXITHUB_AUDIT_LINGER=50ms")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	waitForLog(t, stderr, "serving")
	tok := exec.Command(bin, "token", "--org", "reden", "--role", "ngo_worker")
	tok.Env = append(os.Environ(), "EXITHUB_KEYS="+keys, "DATABASE_URL="+url)
	token, err := tok.Output()
	if err != nil {
		t.Fatal(err)
	}
	return cmd, "http://" + addr, strings.TrimSpace(string(token))
}

type readLoad struct {
	base, token string
	mu          sync.Mutex
	got         []delivered
	failed      int
	enough      chan struct{}
	once        sync.Once
	wg          sync.WaitGroup
}

func newReadLoad(base, token string) *readLoad {
	return &readLoad{base: base, token: token, enough: make(chan struct{})}
}

// start runs readers until each sees the hub gone.
func (l *readLoad) start(readers int) {
	for w := range readers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				if gone := l.read(fmt.Sprintf("fault-%d-%06d", w, i)); gone {
					return
				}
			}
		}()
	}
}

// read asks for the inbox once; gone is true when the hub no longer answers.
func (l *readLoad) read(requestID string) (gone bool) {
	body, err := json.Marshal(map[string]any{"query": `{ referrals(first: 5) { edges { node { id history { to } } } } }`})
	if err != nil {
		panic(err) // a constant query
	}
	req, err := http.NewRequest(http.MethodPost, l.base+"/graphql", bytes.NewReader(body))
	if err != nil {
		panic(err) // a constant method and the hub's own address
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+l.token)
	req.Header.Set("X-Request-Id", requestID)
	resp, err := http.DefaultClient.Do(req)
	var raw []byte
	if err == nil {
		raw, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	ids, ok := deliveredIDs(raw)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil || !ok {
		l.failed++
		return err != nil
	}
	l.got = append(l.got, delivered{requestID: requestID, ids: ids})
	if len(l.got) >= 200 {
		l.once.Do(func() { close(l.enough) })
	}
	return false
}

// deliveredIDs are the referrals a complete response showed; ok is false
// for a response without data.
func deliveredIDs(raw []byte) (ids []string, ok bool) {
	var r struct {
		Data *struct {
			Referrals struct {
				Edges []struct {
					Node struct{ ID string }
				}
			}
		}
		Errors []json.RawMessage
	}
	if json.Unmarshal(raw, &r) != nil || r.Data == nil || len(r.Errors) > 0 {
		return nil, false
	}
	for _, e := range r.Data.Referrals.Edges {
		ids = append(ids, e.Node.ID)
	}
	return ids, len(ids) > 0
}

func (l *readLoad) stop() ([]delivered, int) {
	l.wg.Wait()
	return l.got, l.failed
}

func checkEveryDeliveredReadAudited(t *testing.T, url string, got []delivered) {
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, d := range got {
		var objects []map[string]string
		err := conn.QueryRow(context.Background(), "SELECT objects FROM hub.audit_log WHERE request_id = $1", d.requestID).Scan(&objects)
		if err != nil {
			t.Fatalf("read %s was delivered, but its audit record: %v", d.requestID, err)
		}
		named := map[string]bool{}
		for _, o := range objects {
			named[o["id"]] = true
		}
		for _, id := range d.ids {
			if !named[relay.IDOf("Referral", id)] {
				t.Fatalf("read %s showed referral %s that its audit record does not name", d.requestID, id)
			}
		}
	}
}
