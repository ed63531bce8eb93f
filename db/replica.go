package db

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// replicaCheckEvery is how often the replica's health and lag are measured.
const replicaCheckEvery = 250 * time.Millisecond

// replica is an optional streaming replica that statistics and
// organisational reads go to while it is reachable and no further behind
// the primary than maxLag; otherwise they go to the primary. Audit records
// of reads served by it are written through the primary's audit writer.
type replica struct {
	pool    *pgxpool.Pool
	primary *pgxpool.Pool
	maxLag  time.Duration
	log     *slog.Logger
	healthy atomic.Bool
	state   atomic.Int32 // routeUnknown, routeReplica or routePrimary: what the log last said
	// seen are the primary's WAL positions at past checks: the replica's
	// lag is the age of the newest one it has replayed.
	seen   []walSeen
	stop   chan struct{}
	done   chan struct{}
	closed sync.Once
}

// The route reads take, as last logged.
const (
	routeUnknown int32 = iota
	routeReplica
	routePrimary
)

// maxSeen bounds the positions kept while the replica replays none of them.
const maxSeen = 1000

type walSeen struct {
	at  time.Time
	lsn int64
}

// openReplica connects to the replica as the app role and starts watching
// it; until the first check, reads go to the primary.
func openReplica(ctx context.Context, cfg Config, primary *pgxpool.Pool, log *slog.Logger) (*replica, error) {
	appURL, err := resolveAppURL(ctx, Config{URL: cfg.ReplicaURL, ExecMode: cfg.ExecMode})
	if err != nil {
		return nil, fmt.Errorf("replica: %w", err)
	}
	pcfg, err := pgxpool.ParseConfig(appURL)
	if err != nil {
		return nil, fmt.Errorf("replica: %w", err)
	}
	if err := applyExecMode(pcfg.ConnConfig, cfg.ExecMode); err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("replica: %w", err)
	}
	maxLag := cfg.ReplicaMaxLag
	if maxLag <= 0 {
		maxLag = 5 * time.Second
	}
	r := &replica{pool: pool, primary: primary, maxLag: maxLag, log: log, stop: make(chan struct{}), done: make(chan struct{})}
	r.check(ctx)
	go r.watch()
	return r, nil
}

func (r *replica) watch() {
	defer close(r.done)
	t := time.NewTicker(replicaCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			r.check(context.Background())
		}
	}
}

// check measures the replica's lag and routes reads accordingly, saying so
// in the log whenever the route changes.
func (r *replica) check(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	now := time.Now()
	var lsn int64
	if err := r.primary.QueryRow(ctx, "SELECT (pg_current_wal_lsn() - '0/0')::bigint").Scan(&lsn); err == nil {
		r.seen = append(r.seen, walSeen{now, lsn})
		if len(r.seen) > maxSeen { // keep the oldest: the lag is at least its age
			r.seen = append(r.seen[:1], r.seen[len(r.seen)-maxSeen+1:]...)
		}
	}
	lag, err := r.lag(ctx, now)
	if err == nil && lag > r.maxLag {
		err = fmt.Errorf("replica lags %v behind the primary, more than %v", lag.Round(time.Millisecond), r.maxLag)
	}
	r.route(err)
}

// lag is the age of the newest primary position the replica has replayed.
func (r *replica) lag(ctx context.Context, now time.Time) (time.Duration, error) {
	var replayed *int64
	if err := r.pool.QueryRow(ctx, "SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint").Scan(&replayed); err != nil {
		return 0, fmt.Errorf("replica unreachable: %w", err)
	}
	if replayed == nil {
		return 0, fmt.Errorf("the replica database is no standby")
	}
	for i := len(r.seen) - 1; i >= 0; i-- {
		if r.seen[i].lsn <= *replayed {
			r.seen = r.seen[i:] // older positions are of no more use
			return now.Sub(r.seen[0].at), nil
		}
	}
	if len(r.seen) == 0 {
		return 0, nil
	}
	return now.Sub(r.seen[0].at), nil
}

// route sends reads to the replica when err is nil, else to the primary.
func (r *replica) route(err error) {
	r.healthy.Store(err == nil)
	if err != nil {
		if r.state.Swap(routePrimary) != routePrimary {
			r.log.Warn("replica not used: statistics and organisational reads go to the primary", "reason", err.Error())
		}
		return
	}
	if r.state.Swap(routeReplica) != routeReplica {
		r.log.Info("replica in use: statistics and organisational reads go to it")
	}
}

func (r *replica) close() {
	r.closed.Do(func() { close(r.stop) })
	<-r.done
	r.pool.Close()
}

// replicaInUse reports whether reads that may go to the replica do now.
func (d *DB) replicaInUse() bool { return d.replica != nil && d.replica.healthy.Load() }

// readReplica is read on the replica while it is healthy, else on the
// primary; a replica that fails a read for the server's reason, not the
// request's (it went down between checks, or cancelled the read for a
// recovery conflict), is dropped until the next check and the read runs
// again on the primary.
func (d *DB) readReplica(ctx context.Context, fn readFunc) error {
	if !d.replicaInUse() {
		return d.readOn(ctx, d.pool, fn)
	}
	dropReplica := func(err error) { d.replica.route(fmt.Errorf("a read failed on it: %w", err)) }
	return d.readFallingBack(ctx, d.replica.pool, d.pool, dropReplica, fn)
}
