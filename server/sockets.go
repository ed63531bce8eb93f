package server

import (
	"context"
	"net/http"
	"sync"
)

// sockets are the open WebSocket connections, so that a shutdown can close
// them with 1001 Going Away: http.Server.Shutdown neither waits for nor
// closes a hijacked connection, and a process that just exits leaves its
// clients with 1006, which tells them nothing.
type sockets struct {
	mu      sync.Mutex
	open    map[*socket]bool
	closing bool
	wg      sync.WaitGroup
}

func newSockets() *sockets { return &sockets{open: map[*socket]bool{}} }

// track lets next serve a WebSocket upgrade as a tracked socket, whose
// context a shutdown cancels. Other requests pass through untouched.
func (ss *sockets) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isWebSocket(r) {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		s := &socket{sockets: ss, cancel: cancel}
		if !ss.add(s) {
			http.Error(w, "the server is shutting down", http.StatusServiceUnavailable)
			return
		}
		defer ss.remove(s)
		next.ServeHTTP(w, r.WithContext(withSocket(ctx, s)))
	})
}

func (ss *sockets) add(s *socket) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closing {
		return false
	}
	ss.open[s] = true
	ss.wg.Add(1)
	return true
}

func (ss *sockets) remove(s *socket) {
	ss.mu.Lock()
	delete(ss.open, s)
	ss.mu.Unlock()
	ss.wg.Done()
}

func (ss *sockets) isClosing() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.closing
}

// closeAll refuses new sockets, closes the open ones with 1001 Going Away
// and waits until their handlers have returned, or ctx ends.
func (ss *sockets) closeAll(ctx context.Context) error {
	ss.mu.Lock()
	ss.closing = true
	open := make([]*socket, 0, len(ss.open))
	for s := range ss.open {
		open = append(open, s)
	}
	ss.mu.Unlock()
	for _, s := range open {
		s.goAway()
	}
	done := make(chan struct{})
	go func() { ss.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type socketKey struct{}

func withSocket(ctx context.Context, s *socket) context.Context {
	return context.WithValue(ctx, socketKey{}, s)
}

// socketFrom is the tracked socket of a WebSocket request, or nil.
func socketFrom(ctx context.Context) *socket {
	s, _ := ctx.Value(socketKey{}).(*socket)
	return s
}
