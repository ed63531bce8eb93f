package main

import (
	"math/rand/v2"
	"time"
)

// backoff is an exponential wait between attempts, capped.
type backoff struct {
	min, max, cur time.Duration
}

// next is the wait before the next attempt: double the last, at most max,
// less up to a half at random, so that the clients one outage cut off do
// not all return in the same instant.
func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(2*b.cur, b.max)
	}
	half := b.cur / 2
	return b.cur - half + rand.N(half+1)
}

// reset starts the waits again from min.
func (b *backoff) reset() { b.cur = 0 }
