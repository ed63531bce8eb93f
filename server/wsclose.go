package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// Close codes the hub sends, from RFC 6455 and the graphql-transport-ws
// protocol. gqlgen closes every connection it ends itself with 1000 Normal
// Closure, which graphql-ws reads as "reconnect at once, nothing is wrong":
// a refused client would reconnect in a tight loop and never report.
const (
	closeGoingAway     = 1001 // the server is shutting down: reconnect elsewhere
	closeTryAgainLater = 1013 // the token could not be checked now
	closeUnauthorized  = 4401 // a subscribe before connection_ack
	closeForbidden     = 4403 // the token is refused, or has expired
)

// closeCodes wraps a WebSocket implementation so that the connections it
// accepts are closed with the code that says why.
type closeCodes struct {
	transport.WebsocketImplementation
}

// Accept upgrades the request and, for a tracked socket, returns the
// socket in place of the bare connection.
func (c closeCodes) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := c.WebsocketImplementation.Accept(w, r, o)
	if err != nil {
		return nil, err
	}
	s := socketFrom(r.Context())
	if s == nil {
		return conn, nil
	}
	s.attach(conn)
	return s, nil
}

// socket is one tracked WebSocket connection.
type socket struct {
	transport.WebsocketConn
	sockets *sockets
	cancel  func()

	mu          sync.Mutex
	refusedFrom time.Time // when its token stops being accepted; zero before connection_init succeeds
	read        bool      // the first message has been read
}

func (s *socket) attach(conn transport.WebsocketConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.WebsocketConn = conn
}

// accepted records that connection_init succeeded with a token the
// verifier refuses from refusedFrom on.
func (s *socket) accepted(refusedFrom time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusedFrom = refusedFrom
}

// WriteClose replaces gqlgen's 1000 by the code that says why the hub is
// closing: it is shutting down, or the token has expired.
func (s *socket) WriteClose(code int, msg string) error {
	if code == transport.WebsocketCloseNormalClosure {
		s.mu.Lock()
		expired := !s.refusedFrom.IsZero() && !time.Now().Before(s.refusedFrom)
		s.mu.Unlock()
		switch {
		case s.sockets.isClosing():
			code, msg = closeGoingAway, "the server is shutting down"
		case expired:
			code, msg = closeForbidden, "Forbidden: the token has expired"
		}
	}
	return s.WebsocketConn.WriteClose(code, msg)
}

// NextReader reads the client's messages. The first must be
// connection_init; a subscribe before it closes with 4401 Unauthorized, as
// the protocol says (gqlgen would close with 1002).
func (s *socket) NextReader() (int, io.Reader, error) {
	typ, r, err := s.WebsocketConn.NextReader()
	s.mu.Lock()
	first := !s.read
	s.read = true
	s.mu.Unlock()
	if err != nil || !first {
		return typ, r, err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return typ, nil, err
	}
	var m struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(b, &m) == nil && m.Type == "subscribe" {
		return typ, nil, errors.Join(transport.ErrWebsocketClosed, s.WebsocketConn.WriteClose(closeUnauthorized, "Unauthorized"))
	}
	return typ, bytes.NewReader(b), nil
}

// goAway closes the socket for a shutdown. Cancelling its context makes
// gqlgen close it (with 1000, which WriteClose turns into 1001); a socket
// still waiting for connection_init has nothing watching its context yet.
func (s *socket) goAway() {
	s.cancel()
	s.mu.Lock()
	conn, initialised := s.WebsocketConn, !s.refusedFrom.IsZero()
	s.mu.Unlock()
	if conn != nil && !initialised {
		_ = conn.WriteClose(closeGoingAway, "the server is shutting down") // the client may be gone already
		_ = conn.Close()
	}
}

// SetReadLimit and SetReadDeadline pass gqlgen's limits on to the
// connection.
func (s *socket) SetReadLimit(limit int64) {
	if l, ok := s.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (s *socket) SetReadDeadline(t time.Time) error {
	if d, ok := s.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}
