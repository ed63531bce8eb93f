package server

import (
	"sync"

	"golang.org/x/time/rate"
)

// rateLimits is a token bucket per organisation, so one organisation's
// runaway client cannot starve the others. Buckets live in this instance:
// behind a load balancer each instance allows the rate on its own.
type rateLimits struct {
	perSecond rate.Limit
	burst     int
	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
}

func newRateLimits(perSecond float64, burst int) *rateLimits {
	return &rateLimits{perSecond: rate.Limit(perSecond), burst: burst, buckets: map[string]*rate.Limiter{}}
}

// allow takes a token from the organisation's bucket.
func (l *rateLimits) allow(org string) bool {
	if l == nil || l.perSecond <= 0 {
		return true
	}
	l.mu.Lock()
	b, ok := l.buckets[org]
	if !ok {
		b = rate.NewLimiter(l.perSecond, l.burst)
		l.buckets[org] = b
	}
	l.mu.Unlock()
	return b.Allow()
}
