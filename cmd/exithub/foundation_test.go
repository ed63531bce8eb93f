package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db/pgtest"
)

func TestServeRefusesAnOlderSchema(t *testing.T) {
	url := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), "UPDATE public.exithub_schema_version SET version = version - 1"); err != nil {
		t.Fatal(err)
	}
	conn.Close(context.Background())
	m := NewMain()
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--keys", t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	m.DatabaseURL = url
	err = m.Run(context.Background())
	defer func() {
		if err := m.Close(context.Background()); err != nil {
			t.Errorf("closing a hub that refused to start: %v", err)
		}
	}()
	if err == nil || !strings.Contains(err.Error(), "migrate") {
		t.Fatalf("serve on an older schema: %v", err)
	}
	if conn, err = pgx.Connect(context.Background(), url); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), "UPDATE public.exithub_schema_version SET version = version + 1"); err != nil {
		t.Fatal(err)
	}
	conn.Close(context.Background())
	m2 := NewMain()
	if err := m2.ParseFlags([]string{"--addr", "127.0.0.1:0", "--keys", t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	m2.DatabaseURL = url
	if err := m2.Run(context.Background()); err != nil {
		t.Fatalf("serve on the current schema: %v", err)
	}
	if err := m2.Close(context.Background()); err != nil {
		t.Fatalf("the hub did not close cleanly: %v", err)
	}
}

func TestHealthAndGraphiQLOnlyInDev(t *testing.T) {
	h := startHub(t)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/": 404} {
		resp, err := http.Get(h.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	dev := startHub(t, func(m *Main) { m.Config.Dev = true })
	resp, err := http.Get(dev.url + "/")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GraphiQL with --dev: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestWebSocketClosesWhenTheTokenExpires(t *testing.T) {
	h := startHub(t)
	// Accepted for five more seconds: issued 55s ago for 30s, and the
	// verifier allows 30s of clock skew.
	tok := mintAt(t, h, "reden", time.Now().Add(-55*time.Second), 30*time.Second)
	ws := dialWS(t, h.url, tok)
	ws.subscribe("1", eventsSubscription)
	// A guard against a socket that never closes; 4403 says why it closed.
	if err := ws.conn.SetReadDeadline(time.Now().Add(20 * time.Second)); err != nil {
		t.Fatal(err)
	}
	for {
		var m map[string]any
		if err := ws.conn.ReadJSON(&m); err != nil {
			if !websocket.IsCloseError(err, 4403) {
				t.Fatalf("socket ended with %v, want 4403 Forbidden", err)
			}
			break
		}
		if m["type"] == "ping" {
			ws.send(map[string]any{"type": "pong"})
		}
	}
}

func TestAdminOnboardsAnOrganisationWithoutARedeploy(t *testing.T) {
	h := startHub(t)
	q := `mutation { createOrganisation(input: {code: "blaa-kors", name: "Blå Kors", kind: NGO}) { code kind } }`
	if r := h.do(h.token("101", exithub.RoleCaseworker), q, nil); r.code() != exithub.EFORBIDDEN {
		t.Fatalf("a caseworker onboards: %s", r.raw)
	}
	h.must(h.token("operator", exithub.RoleAdmin), q, nil)
	d := h.must(h.token("blaa-kors", exithub.RoleNGOWorker), `{ me { organisation { name kind } } }`, nil)
	if get(d, "me", "organisation", "name") != "Blå Kors" {
		t.Fatalf("the new NGO's token: %v", d)
	}
	if r := h.do(h.token("operator", exithub.RoleAdmin), q, nil); r.code() != exithub.ECONFLICT || r.Errors[0].Extensions["field"] != "code" {
		t.Fatalf("onboarding twice: %s; want CONFLICT on code", r.raw)
	}
	huge := `mutation { createOrganisation(input: {code: "999", name: "Stor", kind: MUNICIPALITY, population: 3000000000}) { code } }`
	if r := h.do(h.token("operator", exithub.RoleAdmin), huge, nil); r.code() != exithub.EINVALID || r.Errors[0].Extensions["field"] != "population" {
		t.Fatalf("a population beyond GraphQL's 32-bit Int: %s; want BAD_USER_INPUT on population", r.raw)
	}
	bad := `mutation { createOrganisation(input: {code: "12", name: "X", kind: MUNICIPALITY}) { code } }`
	if r := h.do(h.token("operator", exithub.RoleAdmin), bad, nil); r.code() != exithub.EINVALID {
		t.Fatalf("a two-digit kommunekode: %s", r.raw)
	}
}
