package server

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxTrackedAddresses bounds the memory the anonymous limit and the
// refusal counts may take under a spray of addresses; beyond it, refusals
// are counted under "other" and new addresses share one bucket.
const maxTrackedAddresses = 10000

// anonymousLimit limits, per client address, requests that fail to
// authenticate. An address that has spent its budget is refused before its
// token is even looked at, so a flood of garbage tokens costs a map lookup
// each, not a signature check, a directory read and an audit row.
type anonymousLimit struct {
	perSecond rate.Limit
	burst     int
	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
}

func newAnonymousLimit(perSecond float64, burst int) *anonymousLimit {
	return &anonymousLimit{perSecond: rate.Limit(perSecond), burst: burst, buckets: map[string]*rate.Limiter{}}
}

// blocked reports whether addr has no failures left to spend.
func (l *anonymousLimit) blocked(addr string) bool {
	if l.perSecond <= 0 {
		return false
	}
	l.mu.Lock()
	b, ok := l.buckets[addr]
	l.mu.Unlock()
	return ok && b.Tokens() < 1
}

// failed spends one of addr's failures.
func (l *anonymousLimit) failed(addr string) {
	if l.perSecond <= 0 {
		return
	}
	l.mu.Lock()
	b, ok := l.buckets[addr]
	if !ok {
		if len(l.buckets) >= maxTrackedAddresses {
			addr = "other"
			b = l.buckets[addr]
		}
		if b == nil {
			b = rate.NewLimiter(l.perSecond, l.burst)
			l.buckets[addr] = b
		}
	}
	l.mu.Unlock()
	b.Allow()
}

// sweep forgets the addresses whose budget is whole again.
func (l *anonymousLimit) sweep() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for a, b := range l.buckets {
		if b.Tokens() >= float64(l.burst) {
			delete(l.buckets, a)
		}
	}
}

// refusalLog aggregates refused unauthenticated requests into one audit
// record per address and minute, instead of a row per request.
type refusalLog struct {
	write func(ctx context.Context, addr string, minute time.Time, n int)
	mu    sync.Mutex
	count map[string]int
	since time.Time
}

func newRefusalLog(write func(context.Context, string, time.Time, int)) *refusalLog {
	return &refusalLog{write: write, count: map[string]int{}, since: time.Now().Truncate(time.Minute)}
}

func (l *refusalLog) add(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.count[addr]; !ok && len(l.count) >= maxTrackedAddresses {
		addr = "other"
	}
	l.count[addr]++
}

// flush writes the counts gathered so far, one record per address.
func (l *refusalLog) flush(ctx context.Context) {
	l.mu.Lock()
	count, since := l.count, l.since
	l.count, l.since = map[string]int{}, time.Now().Truncate(time.Minute)
	l.mu.Unlock()
	for addr, n := range count {
		l.write(ctx, addr, since, n)
	}
}

// run flushes every minute until ctx ends, then once more.
func (l *refusalLog) run(ctx context.Context, every time.Duration, also func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			l.flush(context.WithoutCancel(ctx))
			return
		case <-t.C:
			l.flush(ctx)
			also()
		}
	}
}

// FlushRefusals writes the refusals of unauthenticated requests counted so
// far, one audit record per address; the server does it every minute and
// when it closes.
func (s *Server) FlushRefusals(ctx context.Context) { s.refusals.flush(ctx) }
