package main

import (
	"context"
	"fmt"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// load is how hard a run drives: a fixed rate, for latency, or a closed
// loop of workers that send as fast as answers come, for the peak.
type load struct {
	Rate    int    // requests per second; 0 for the closed loop
	Workers uint64 // the closed loop's workers, or the cap on a fixed rate's
}

func (l load) String() string {
	if l.Rate == 0 {
		return fmt.Sprintf("peak %dw", l.Workers)
	}
	return fmt.Sprintf("%d/s", l.Rate)
}

// attacker builds vegeta's attacker for a load. A fixed rate may add
// workers when answers are slow, up to a cap, so an overloaded server shows
// as a sent rate below the target and long latencies rather than an
// unbounded pile of connections.
func (l load) attacker() *vegeta.Attacker {
	opts := []func(*vegeta.Attacker){vegeta.Timeout(10 * time.Second), vegeta.KeepAlive(true)}
	if l.Rate == 0 {
		opts = append(opts, vegeta.Workers(l.Workers), vegeta.MaxWorkers(l.Workers))
	} else {
		opts = append(opts, vegeta.Workers(min(10, l.Workers)), vegeta.MaxWorkers(l.Workers))
	}
	return vegeta.NewAttacker(opts...)
}

func (l load) pacer() vegeta.Pacer {
	if l.Rate == 0 {
		return vegeta.Rate{Freq: 0} // as fast as the workers go
	}
	return vegeta.Rate{Freq: l.Rate, Per: time.Second}
}

// scenario is a named stream of requests; seen, when set, sees every
// answer (the writes scenario learns the referrals it may update from it).
type scenario struct {
	Name     string
	Targeter vegeta.Targeter
	Seen     func(*vegeta.Result)
}

// drive runs a scenario at a load for a duration, or until ctx ends, and
// tallies the answers.
func drive(ctx context.Context, s scenario, l load, d time.Duration) *tally {
	t := newTally()
	a := l.attacker()
	stop := context.AfterFunc(ctx, func() { a.Stop() })
	defer stop()
	for res := range a.Attack(s.Targeter, l.pacer(), d, s.Name) {
		if s.Seen != nil {
			s.Seen(res)
		}
		t.add(res)
	}
	t.close()
	return t
}
