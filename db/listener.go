package db

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// Listener follows referral changes from every server instance through
// LISTEN/NOTIFY and hands them to this instance's subscribers. LISTEN needs
// a session, so it keeps a direct connection of its own, even when the pool
// goes through a transaction-pooling PgBouncer.
//
// While the connection is down, notifications are lost: PostgreSQL keeps
// none for a session that is gone. So a lost connection ends every open
// subscription at once (its channel closes), and no new one is taken until
// LISTEN is in place again; a subscriber catches up and subscribes anew.
type Listener struct {
	url  string
	log  *slog.Logger
	mu   sync.Mutex
	subs map[chan exithub.ReferralChange]struct{}
	up   bool // LISTEN is in place
	// upSince is when LISTEN was last put in place.
	upSince time.Time
	// ready is closed once the first LISTEN is in place.
	ready chan struct{}
	once  sync.Once
	// healthy is how long a connection must hold for the next loss to
	// start again from the shortest backoff.
	healthy            time.Duration
	losses, reconnects atomic.Int64
}

// Listener backoff: from ListenBackoffMin, doubling up to ListenBackoffMax;
// back to the minimum after a connection held for ListenHealthy. Each loss's
// log line gives the backoff it waits.
const (
	ListenBackoffMin = 100 * time.Millisecond
	ListenBackoffMax = 5 * time.Second
	// ListenHealthy is how long a LISTEN connection must hold for the
	// backoff to start again from its minimum after the next loss.
	ListenHealthy = 3 * time.Second
)

// ErrEventsUnavailable is the domain's: the subscriber catches up through
// its inbox and subscribes again.
var ErrEventsUnavailable = exithub.ErrEventsUnavailable

// NewListener returns a listener that connects with url when Run.
func NewListener(url string, log *slog.Logger) *Listener {
	return &Listener{url: url, log: log, subs: map[chan exithub.ReferralChange]struct{}{},
		ready: make(chan struct{}), healthy: ListenHealthy}
}

// Ready is closed when the listener first listens.
func (l *Listener) Ready() <-chan struct{} { return l.ready }

// Losses is how many times the LISTEN connection was lost.
func (l *Listener) Losses() int64 { return l.losses.Load() }

// Reconnects is how many times LISTEN was in place again after a loss.
func (l *Listener) Reconnects() int64 { return l.reconnects.Load() }

// HeldFor is how long LISTEN has been in place without a loss; zero while
// it is not.
func (l *Listener) HeldFor() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.up {
		return 0
	}
	return time.Since(l.upSince)
}

// Listening reports whether LISTEN is in place now.
func (l *Listener) Listening() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.up
}

// Subscribers is how many subscriptions are open.
func (l *Listener) Subscribers() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.subs)
}

// Subscribe returns a channel of changes and a function that ends the
// subscription. The channel closes when the subscription can no longer be
// kept whole: the listener lost its connection, or the subscriber fell so
// far behind that a change would have been dropped. While the listener is
// down it refuses with ErrEventsUnavailable.
func (l *Listener) Subscribe() (<-chan exithub.ReferralChange, func(), error) {
	ch := make(chan exithub.ReferralChange, 64)
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.up {
		return nil, nil, ErrEventsUnavailable
	}
	l.subs[ch] = struct{}{}
	return ch, func() {
		l.mu.Lock()
		l.drop(ch)
		l.mu.Unlock()
	}, nil
}

// drop ends one subscription; l.mu is held.
func (l *Listener) drop(ch chan exithub.ReferralChange) {
	if _, ok := l.subs[ch]; ok {
		delete(l.subs, ch)
		close(ch)
	}
}

func (l *Listener) publish(c exithub.ReferralChange) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for ch := range l.subs {
		select {
		case ch <- c:
		default:
			l.log.Warn("subscriber too slow; its subscription ends so that it catches up", "referral", c.ReferralID)
			l.drop(ch)
		}
	}
}

// setUp records that LISTEN is in place, or that it was lost: then every
// open subscription ends at once, since what is notified from now until
// LISTEN is back reaches no one.
func (l *Listener) setUp(up bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.up = up
	if up {
		l.upSince = time.Now()
	}
	if !up {
		for ch := range l.subs {
			l.drop(ch)
		}
	}
}

// Run listens until ctx ends, reconnecting with backoff when the connection
// drops (a database restart, say). Every loss and every return is logged
// and counted.
func (l *Listener) Run(ctx context.Context) {
	backoff := ListenBackoffMin
	for ctx.Err() == nil {
		began := time.Now()
		listened, err := l.listen(ctx)
		l.setUp(false)
		if ctx.Err() != nil {
			return
		}
		if listened {
			l.losses.Add(1)
			if time.Since(began) >= l.healthy {
				backoff = ListenBackoffMin
			}
		}
		l.log.Warn("listener lost its connection; subscriptions ended; reconnecting", "err", err, "backoff", backoff, "was_listening", listened)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, ListenBackoffMax)
	}
}

// listen holds one connection; listened tells whether LISTEN got in place.
func (l *Listener) listen(ctx context.Context) (listened bool, err error) {
	cfg, err := pgx.ParseConfig(l.url)
	if err != nil {
		return false, err
	}
	cfg.ConnectTimeout = connectTimeout
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		return false, err
	}
	l.setUp(true)
	l.once.Do(func() { close(l.ready) })
	if l.losses.Load() > 0 {
		l.reconnects.Add(1)
		l.log.Info("listener listening again")
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		var c exithub.ReferralChange
		if err := json.Unmarshal([]byte(n.Payload), &c); err != nil {
			l.log.Error("bad notification payload", "err", err)
			continue
		}
		l.publish(c)
	}
}
