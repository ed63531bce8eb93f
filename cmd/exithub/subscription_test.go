package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"exithub"
)

// wsClient speaks graphql-transport-ws, as browsers and graphql-ws do.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func dialWS(t *testing.T, baseURL, token string) *wsClient {
	t.Helper()
	u := "ws" + strings.TrimPrefix(baseURL, "http") + "/graphql"
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, resp, err := d.Dial(u, http.Header{})
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	t.Cleanup(func() { conn.Close() })
	c := &wsClient{t: t, conn: conn}
	c.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}})
	if m := c.read(5 * time.Second); m["type"] != "connection_ack" {
		t.Fatalf("no connection_ack: %v", m)
	}
	return c
}

func (c *wsClient) send(m map[string]any) {
	c.t.Helper()
	if err := c.conn.WriteJSON(m); err != nil {
		c.t.Fatal(err)
	}
}

// read returns the next message that is not a ping, or nil on timeout.
func (c *wsClient) read(timeout time.Duration) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if err := c.conn.SetReadDeadline(deadline); err != nil {
			c.t.Fatal(err)
		}
		var m map[string]any
		if err := c.conn.ReadJSON(&m); err != nil {
			return nil
		}
		switch m["type"] {
		case "ping":
			c.send(map[string]any{"type": "pong"})
		case "ka", "pong":
		default:
			return m
		}
	}
}

func (c *wsClient) subscribe(id, query string) {
	c.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query}})
}

const eventsSubscription = `subscription { referralEvents { kind referral { id status to { code } } } }`

func TestSubscriptionCrossesInstances(t *testing.T) {
	a := startHub(t)
	// A second instance on the same database, as behind a load balancer.
	b := startHubOn(t, a)
	ngo := dialWS(t, b.url, a.token("reden", exithub.RoleNGOWorker))
	ngo.subscribe("1", eventsSubscription)
	other := dialWS(t, b.url, a.token("kirkens-korshaer", exithub.RoleNGOWorker))
	other.subscribe("1", eventsSubscription)
	// The subscriptions are in place on b before the mutation on a.
	waitUntil(t, 5*time.Second, "both subscriptions on the second instance", func() bool { return b.main.listener.Subscribers() == 2 })
	f := newReferral(t, a, "reden")
	m := ngo.read(10 * time.Second)
	if get(m, "payload", "data", "referralEvents", "kind") != "CREATED" ||
		get(m, "payload", "data", "referralEvents", "referral", "id") != f.referral {
		t.Fatalf("the NGO on the other instance got %v", m)
	}
	if m := other.read(time.Second); m != nil {
		t.Fatalf("another NGO heard of the referral: %v", m)
	}
}

func TestSubscriptionRefusesBadToken(t *testing.T) {
	h := startHub(t)
	u := "ws" + strings.TrimPrefix(h.url, "http") + "/graphql"
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.Dial(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer nonsense"}}); err != nil {
		t.Fatal(err)
	}
	if err := conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	for {
		var m map[string]any
		if err := conn.ReadJSON(&m); err != nil {
			if !websocket.IsCloseError(err, 4403) {
				t.Fatalf("want the socket closed with 4403 Forbidden, got %v", err)
			}
			return
		}
		if m["type"] == "connection_ack" {
			t.Fatal("a bad token was acknowledged")
		}
	}
}

// startHubOn starts another instance on a hub's database and keys.
func startHubOn(t *testing.T, a *hub) *hub {
	t.Helper()
	m := NewMain()
	m.Log = a.main.Log
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--keys", a.keys.Dir()}); err != nil {
		t.Fatal(err)
	}
	m.DatabaseURL = a.dbURL
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(context.Background()); err != nil {
			t.Errorf("the hub did not close cleanly: %v", err)
		}
	})
	<-m.listener.Ready()
	return &hub{t: t, main: m, keys: a.keys, url: "http://" + m.Server.Addr(), dbURL: a.dbURL, logs: a.logs}
}
