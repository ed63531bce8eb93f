package server

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"exithub"
)

// closeInitTimeout is graphql-transport-ws's close code for a connection
// that did not send connection_init in time.
const closeInitTimeout = 4408

// wsGate bounds WebSocket connections: how many one instance holds, how many
// one organisation holds, and how long a connection may stay open without
// saying who it is. A socket that never sends connection_init holds no
// token, so without the timeout anyone could hold connections for free.
type wsGate struct {
	perInstance, perOrg int
	initTimeout         time.Duration
	proxies             TrustedProxies

	mu    sync.Mutex
	total int
	byOrg map[string]int
}

func newWSGate(cfg Config) *wsGate {
	return &wsGate{perInstance: cfg.MaxWebSockets, perOrg: cfg.MaxWebSocketsPerOrg,
		initTimeout: cfg.WebSocketInitTimeout, proxies: cfg.TrustedProxies, byOrg: map[string]int{}}
}

// admit wraps a WebSocket upgrade: it refuses one over the instance's cap
// and arms the init timeout. (The HTTP server's read and write deadlines
// end with the upgrade: net/http clears them when the connection is
// hijacked, and the init timeout and the token's expiry bound it instead.)
func (g *wsGate) admit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isWebSocket(r) {
			next.ServeHTTP(w, r)
			return
		}
		if !g.take() {
			w.Header().Set("Retry-After", "5")
			writeError(w, r, http.StatusServiceUnavailable, &exithub.Error{Code: exithub.EUNAVAILABLE,
				Message: "this instance holds as many WebSocket connections as it may; try again later"})
			return
		}
		defer g.release()
		watch := &initWatch{addr: g.proxies.clientAddr(r)}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), initWatchKey{}, watch)))
	})
}

func (g *wsGate) take() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.perInstance > 0 && g.total >= g.perInstance {
		return false
	}
	g.total++
	return true
}

func (g *wsGate) release() {
	g.mu.Lock()
	g.total--
	g.mu.Unlock()
}

// admitOrg counts an authenticated connection against its organisation's
// cap until ctx (the connection's) ends.
func (g *wsGate) admitOrg(ctx context.Context, org string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.perOrg > 0 && g.byOrg[org] >= g.perOrg {
		return &exithub.Error{Code: exithub.ERATELIMITED, Message: "your organisation holds as many WebSocket connections as it may"}
	}
	g.byOrg[org]++
	context.AfterFunc(ctx, func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.byOrg[org]--; g.byOrg[org] <= 0 {
			delete(g.byOrg, org)
		}
	})
	return nil
}

// overCap makes gqlgen close a socket refused at connection_init for its
// organisation's cap with 1013, so the client knows to retry later.
func overCap(ctx context.Context) context.Context {
	return transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, closeTryAgainLater), "too many connections")
}

// initialised stops the init timeout of the connection ctx belongs to and
// returns the client's address.
func initialised(ctx context.Context) string {
	if w, ok := ctx.Value(initWatchKey{}).(*initWatch); ok {
		w.stop()
		return w.addr
	}
	return ""
}

// limitInit applies the limit on failed authentications to
// connection_init, as authenticate does to HTTP requests: an address that
// spent its budget is refused before its token is read, and every failure
// is counted and audited with the address's others.
func (s *Server) limitInit(f transport.WebsocketInitFunc) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		addr := initialised(ctx)
		if s.anon.blocked(addr) {
			s.metrics.unauthenticated.WithLabelValues("rate_limited").Inc()
			s.refusals.add(addr)
			err := &exithub.Error{Code: exithub.ERATELIMITED, Message: "too many unauthenticated requests from your address; slow down"}
			return refusal(ctx, err), nil, err
		}
		ctx2, ack, err := f(ctx, p)
		if exithub.ErrorCode(err) == exithub.EUNAUTHENTICATED {
			s.anon.failed(addr)
			s.metrics.unauthenticated.WithLabelValues("refused").Inc()
			s.refusals.add(addr)
		}
		return ctx2, ack, err
	}
}

type initWatchKey struct{}

// initWatch closes a connection with 4408 unless connection_init arrives
// before its timer fires.
type initWatch struct {
	addr  string // the client's
	mu    sync.Mutex
	timer *time.Timer
	done  bool
}

func (w *initWatch) arm(conn transport.WebsocketConn, after time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done || after <= 0 {
		return
	}
	w.timer = time.AfterFunc(after, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.done {
			return
		}
		w.done = true
		_ = conn.WriteClose(closeInitTimeout, "Connection initialisation timeout") // the client may be gone already
		_ = conn.Close()
	})
}

func (w *initWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	if w.timer != nil {
		w.timer.Stop()
	}
}

// initTimeoutImplementation arms the init timeout on every accepted socket.
type initTimeoutImplementation struct {
	transport.WebsocketImplementation
	after time.Duration
}

func (i initTimeoutImplementation) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := i.WebsocketImplementation.Accept(w, r, o)
	if err == nil {
		if watch, ok := r.Context().Value(initWatchKey{}).(*initWatch); ok {
			watch.arm(conn, i.after)
		}
	}
	return conn, err
}
