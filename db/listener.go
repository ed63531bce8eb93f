package db

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// Listener follows referral changes from every server instance through
// LISTEN/NOTIFY and hands them to this instance's subscribers. LISTEN needs
// a session, so it keeps a direct connection of its own, even when the pool
// goes through a transaction-pooling PgBouncer.
type Listener struct {
	url  string
	log  *slog.Logger
	mu   sync.Mutex
	subs map[chan exithub.ReferralChange]struct{}
	// ready is closed once the first LISTEN is in place.
	ready chan struct{}
	once  sync.Once
}

// NewListener returns a listener that connects with url when Run.
func NewListener(url string, log *slog.Logger) *Listener {
	return &Listener{url: url, log: log, subs: map[chan exithub.ReferralChange]struct{}{}, ready: make(chan struct{})}
}

// Ready is closed when the listener first listens.
func (l *Listener) Ready() <-chan struct{} { return l.ready }

// Subscribe returns a channel of changes and a function that ends the
// subscription. A subscriber too slow to take a change loses it rather
// than holding up the others; clients catch up through their inbox.
func (l *Listener) Subscribe() (<-chan exithub.ReferralChange, func()) {
	ch := make(chan exithub.ReferralChange, 64)
	l.mu.Lock()
	l.subs[ch] = struct{}{}
	l.mu.Unlock()
	return ch, func() {
		l.mu.Lock()
		if _, ok := l.subs[ch]; ok {
			delete(l.subs, ch)
			close(ch)
		}
		l.mu.Unlock()
	}
}

// Subscribers is how many subscriptions this instance feeds: tests wait
// for a subscription to be in place before making the change it awaits.
func (l *Listener) Subscribers() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.subs)
}

func (l *Listener) publish(c exithub.ReferralChange) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for ch := range l.subs {
		select {
		case ch <- c:
		default:
			l.log.Warn("subscriber too slow; change dropped", "referral", c.ReferralID)
		}
	}
}

// Run listens until ctx ends, reconnecting with backoff when the connection
// drops (a database restart, say).
func (l *Listener) Run(ctx context.Context) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := l.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		l.log.Warn("listener lost its connection; reconnecting", "err", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (l *Listener) listen(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, l.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		return err
	}
	l.once.Do(func() { close(l.ready) })
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var c exithub.ReferralChange
		if err := json.Unmarshal([]byte(n.Payload), &c); err != nil {
			l.log.Error("bad notification payload", "err", err)
			continue
		}
		l.publish(c)
	}
}
