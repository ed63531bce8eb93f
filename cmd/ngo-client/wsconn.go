package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/gorilla/websocket"
)

// wsDialer connects genqlient's WebSocket client through gorilla/websocket,
// and makes up for what genqlient's client does not do itself.
type wsDialer struct {
	// ackTimeout bounds the wait for the server's first message
	// (connection_ack): genqlient waits for it without a limit.
	ackTimeout time.Duration
	// idle bounds every later wait for a message; the hub's pings keep a
	// live connection from falling silent for longer.
	idle time.Duration
	// hints records the Retry-After of a refused handshake (the hub
	// answers 503 when it has too many connections).
	hints *retryHints
}

// DialContext opens the WebSocket; closing ctx closes it.
func (d wsDialer) DialContext(ctx context.Context, url string, header http.Header) (graphql.WSConn, error) {
	dialer := websocket.Dialer{HandshakeTimeout: d.ackTimeout, Proxy: http.ProxyFromEnvironment}
	conn, resp, err := dialer.DialContext(ctx, url, header)
	if err != nil {
		if resp != nil {
			d.hints.record(resp.Header)
			err = fmt.Errorf("%w (HTTP %s)", err, resp.Status)
		}
		return nil, err
	}
	// genqlient closes a connection only through its Close, which writes a
	// close frame first and gives up when that fails, as it does on a broken
	// connection. The caller's context closes it instead.
	context.AfterFunc(ctx, func() { conn.Close() })
	if err := conn.SetReadDeadline(time.Now().Add(d.ackTimeout)); err != nil {
		conn.Close()
		return nil, err
	}
	return &wsConn{conn: conn, idle: d.idle}, nil
}

// wsConn is one graphql-transport-ws connection as genqlient reads it.
type wsConn struct {
	conn *websocket.Conn
	// writeMu serialises writes: gorilla allows one writer at a time, and
	// pongs are written from genqlient's reading goroutine.
	writeMu sync.Mutex
	idle    time.Duration
}

// Close closes the connection without a close frame.
func (c *wsConn) Close() error { return c.conn.Close() }

// WriteMessage sends one message.
func (c *wsConn) WriteMessage(messageType int, data []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	return c.conn.WriteMessage(messageType, data)
}

// ReadMessage returns the next message for genqlient, having answered the
// protocol's pings itself: genqlient takes any message without a known
// subscription id for an error and stops reading. A connection silent for
// longer than idle fails the read: a connection that died without a word
// (a NAT that forgot it, a peer that vanished) would otherwise be waited on
// for ever, and its events never replayed.
func (c *wsConn) ReadMessage() (int, []byte, error) {
	for {
		t, p, err := c.conn.ReadMessage()
		if err != nil {
			return t, p, err
		}
		if err := c.conn.SetReadDeadline(time.Now().Add(c.idle)); err != nil {
			return t, nil, err
		}
		p, pass, err := c.translate(p)
		if pass || err != nil {
			return t, p, err
		}
	}
}

// wsMessage is a graphql-transport-ws message.
type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// translate answers a ping, drops a pong, and rewrites an "error" message
// (whose payload is a bare list of errors, which genqlient fails to decode
// as a result) into a result carrying those errors, so that their codes
// reach the caller. pass is false for a message genqlient must not see.
func (c *wsConn) translate(p []byte) (out []byte, pass bool, err error) {
	var m wsMessage
	if json.Unmarshal(p, &m) != nil {
		return p, true, nil // genqlient reports what it cannot read
	}
	switch m.Type {
	case "ping":
		pong, _ := json.Marshal(wsMessage{Type: "pong"}) // a constant of strings: it cannot fail
		return nil, false, c.WriteMessage(websocket.TextMessage, pong)
	case "pong":
		return nil, false, nil
	case "error":
		if len(m.Payload) == 0 {
			m.Payload = json.RawMessage("[]")
		}
		m.Type, m.Payload = "next", json.RawMessage(`{"errors":`+string(m.Payload)+`}`)
		out, err = json.Marshal(m)
		return out, true, err
	}
	return p, true, nil
}
