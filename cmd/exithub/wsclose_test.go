package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"exithub"
	"exithub/auth"
	"exithub/db"
	"exithub/db/cluster"
	"exithub/db/pgtest"
	"exithub/db/seed"
	"exithub/server/gqlhttp/gqlhttptest"
)

// TestWebSocketRefusalsCloseWith4403AndShutdownWith1001: the graphql-ws
// reference client, refused at connection_init (no token, a bad one, an
// expired one, one for an unknown organisation) or when its token expires
// on an open connection, is closed with 4403 Forbidden, retries as often as
// it was told to, stops, and reports the refusal; a shutdown closes open
// sockets with 1001 Going Away, which it reports too.
func TestWebSocketRefusalsCloseWith4403AndShutdownWith1001(t *testing.T) {
	h := startHub(t)
	ws := "ws" + strings.TrimPrefix(h.url, "http") + "/graphql"
	expired := mintAt(t, h, "reden", time.Now().Add(-2*time.Hour), time.Hour)
	stranger := mintAt(t, h, "nosuchorg", time.Now(), time.Hour)
	const retries = 2
	for name, authorization := range map[string]string{"no token": "", "a bad token": "Bearer nonsense",
		"an expired token": "Bearer " + expired, "an unknown organisation": "Bearer " + stranger} {
		events := gqlhttptest.Watch(t, ws, authorization, eventsSubscription, retries).Until("error")
		assertRefused(t, name, events, retries+1)
	}

	// Accepted for ten more seconds, time for the client to start and
	// connect on a busy machine: issued 50s ago for 30s, and the verifier's
	// leeway is 30s.
	expiring := mintAt(t, h, "reden", time.Now().Add(-50*time.Second), 30*time.Second)
	w := gqlhttptest.Watch(t, ws, "Bearer "+expiring, eventsSubscription, 1)
	w.Until("connected")
	events := w.Until("error")
	if c := events[0]; c.Event != "closed" || c.Code != 4403 || !strings.Contains(c.Reason, "expired") {
		t.Errorf("a token expiring on an open connection: first %+v, want closed 4403 ... expired", c)
	}
	assertRefused(t, "a token expiring on an open connection", events[1:], 1)

	w = gqlhttptest.Watch(t, ws, "Bearer "+h.token("reden", exithub.RoleNGOWorker), eventsSubscription, 0)
	w.Until("connected")
	if err := h.main.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	events = w.Until("error")
	if last := events[len(events)-1]; last.Code != 1001 {
		t.Errorf("on shutdown the client reported %+v, want 1001 Going Away", events)
	}
}

// assertRefused checks that the client tried connects times, was closed
// with 4403 each time, never connected, and reported 4403.
func assertRefused(t *testing.T, name string, events []gqlhttptest.Event, connects int) {
	t.Helper()
	var tried, closed int
	for _, e := range events {
		switch {
		case e.Event == "connecting":
			tried++
		case e.Event == "closed" && e.Code == 4403 && strings.HasPrefix(e.Reason, "Forbidden"):
			closed++
		case e.Event == "error" && e.Code == 4403:
		default:
			t.Errorf("%s: unexpected %+v", name, e)
		}
	}
	if tried != connects || closed != connects {
		t.Errorf("%s: %d connects and %d closes with 4403, want %d: %+v", name, tried, closed, connects, events)
	}
}

// mintAt mints an NGO worker's token as if issued at issued.
func mintAt(t *testing.T, h *hub, org string, issued time.Time, ttl time.Duration) string {
	t.Helper()
	k, err := auth.OpenKeyDir(h.keys.Dir())
	if err != nil {
		t.Fatal(err)
	}
	k.Now = func() time.Time { return issued }
	tok, err := k.Mint(auth.Claims{Sub: "worker@" + org, Org: org, Role: exithub.RoleNGOWorker}, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestWebSocketSubscribeBeforeInitClosesWith4401: the protocol's answer to
// a subscribe before connection_ack.
func TestWebSocketSubscribeBeforeInitClosesWith4401(t *testing.T) {
	h := startHub(t)
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(h.url, "http")+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.WriteJSON(map[string]any{"type": "subscribe", "id": "1", "payload": map[string]any{"query": eventsSubscription}}); err != nil {
		t.Fatal(err)
	}
	if err := conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	_, msg, err := conn.ReadMessage()
	if !websocket.IsCloseError(err, 4401) {
		t.Fatalf("got %q, %v; want close 4401", msg, err)
	}
}

// TestSIGTERMClosesWebSocketsWith1001: the real binary, sent SIGTERM while
// the graphql-ws client holds a subscription, closes the socket with 1001
// Going Away (not a dropped connection, 1006), which the client reports,
// and exits cleanly.
func TestSIGTERMClosesWebSocketsWith1001(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "exithub")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dbURL := pgtest.NewDatabase(t)
	if err := seed.Demo(context.Background(), dbURL, []byte("k")); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "EXITHUB_KEYS="+t.TempDir(), "EXITHUB_PSEUDONYM_KEY=k")
	cmd := exec.Command(bin, "serve", "--addr", addr)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitForLog(t, stderr, "serving")
	tokCmd := exec.Command(bin, "token", "--org", "reden", "--role", "ngo_worker")
	tokCmd.Env = env
	tok, err := tokCmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	w := gqlhttptest.Watch(t, "ws://"+addr+"/graphql", "Bearer "+strings.TrimSpace(string(tok)), eventsSubscription, 0)
	w.Until("connected")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	events := w.Until("error")
	if last := events[len(events)-1]; last.Code != 1001 {
		t.Errorf("after SIGTERM the client reported %+v, want 1001 Going Away", events)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("the server did not exit cleanly after SIGTERM: %v", err)
	}
}

// TestWebSocketTokenThatCannotBeCheckedClosesWith1013: with the database
// down, a token whose organisation is not in the directory the server
// keeps cannot be checked; that is no refusal of the token, so the socket
// closes with 1013 Try Again Later, which graphql-ws retries, not 4403.
func TestWebSocketTokenThatCannotBeCheckedClosesWith1013(t *testing.T) {
	ctx := context.Background()
	c, err := cluster.StartTemp(ctx, cluster.TempOptions{Dir: pgtest.TempDir(t)})
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
	h := startHub(t, func(m *Main) { m.DatabaseURL = url })
	stranger := mintAt(t, h, "nosuchorg", time.Now(), time.Hour)
	if err := c.Stop(ctx, "immediate"); err != nil {
		t.Fatal(err)
	}
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(h.url, "http")+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	init := map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + stranger}}
	if err := conn.WriteJSON(init); err != nil {
		t.Fatal(err)
	}
	if err := conn.SetReadDeadline(time.Now().Add(15 * time.Second)); err != nil {
		t.Fatal(err)
	}
	_, msg, err := conn.ReadMessage()
	if !websocket.IsCloseError(err, 1013) {
		t.Fatalf("got %q, %v; want close 1013", msg, err)
	}
}
