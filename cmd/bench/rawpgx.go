package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"exithub/db"
)

// rawGoroutines is how many goroutines query at once in the raw baseline.
const rawGoroutines = 8

// rawQuery is one unit of the raw baseline's work, e.g. an inbox page.
type rawQuery func(ctx context.Context, pool *pgxpool.Pool, ngo string) error

// rawInboxPage reads what the hub reads for an inbox page, and nothing else:
// no transaction, no role, no audit row.
func rawInboxPage(ctx context.Context, pool *pgxpool.Pool, ngo string) error {
	_, err := readInboxPage(ctx, pool, ngo)
	return err
}

// rawHubStatement runs the hub's inbox statement (page and history in one)
// as the hub sends it: one pipeline that sets the organisation, then the
// statement; as the owner, without role switch or audit record.
func rawHubStatement(ctx context.Context, pool *pgxpool.Pool, ngo string) error {
	sql, args, err := db.InboxStatement(pageSize)
	if err != nil {
		return err
	}
	b := &pgx.Batch{}
	b.Queue("SELECT set_config('hub.org_id', $1, true)", ngo)
	b.Queue(sql, args...)
	br := pool.SendBatch(ctx, b)
	_, err = br.Exec()
	if err == nil {
		var rows pgx.Rows
		rows, err = br.Query()
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err
}

// rawInboxSelect is the inbox's SELECT alone.
func rawInboxSelect(ctx context.Context, pool *pgxpool.Pool, ngo string) error {
	_, err := selectInbox(ctx, pool, ngo)
	return err
}

// runRaw runs q from rawGoroutines goroutines for d as the database owner,
// each call as the next NGO, and reports it like a closed-loop run.
func runRaw(ctx context.Context, ownerURL, name string, q rawQuery, ngos []string, d time.Duration) (row, error) {
	cfg, err := pgxpool.ParseConfig(ownerURL)
	if err != nil {
		return row{}, err
	}
	cfg.MaxConns = rawGoroutines
	counter := &db.QueryCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return row{}, err
	}
	defer pool.Close()
	r := row{Setup: name, Scenario: "inbox", Load: fmt.Sprintf("peak %dg", rawGoroutines), CPUPerReq: unmeasured, DBCPUPerReq: unmeasured, AllocsPerReq: unmeasured}
	start := time.Now()
	before := counter.Count()
	lat, failures := hammer(ctx, pool, q, ngos, d)
	r.Elapsed = time.Since(start)
	r.Requests = uint64(len(lat))
	r.OK = r.Requests - uint64(len(failures))
	r.Sent = float64(r.Requests) / r.Elapsed.Seconds()
	r.SQLPerReq = perRequest(float64(counter.Count()-before), r.Requests)
	r.P50, r.P99 = percentile(lat, 0.50), percentile(lat, 0.99)
	r.Errors = distinct(failures, maxErrors)
	return r, nil
}

// hammer calls q in a loop from rawGoroutines goroutines until d has passed,
// returning every call's latency and the failures' messages.
func hammer(ctx context.Context, pool *pgxpool.Pool, q rawQuery, ngos []string, d time.Duration) ([]time.Duration, []string) {
	var (
		mu       sync.Mutex
		lat      []time.Duration
		failures []string
		wg       sync.WaitGroup
	)
	deadline := time.Now().Add(d)
	for g := range rawGoroutines {
		wg.Go(func() {
			var mine []time.Duration
			var errs []string
			for i := g; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				t := time.Now()
				if err := q(ctx, pool, ngos[i%len(ngos)]); err != nil {
					errs = append(errs, err.Error())
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat, failures = append(lat, mine...), append(failures, errs...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return lat, failures
}

// percentile is the q-quantile of ds by the nearest-rank method; it sorts ds.
func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	rank := int(math.Ceil(q*float64(len(ds)))) - 1
	return ds[min(max(rank, 0), len(ds)-1)]
}

// distinct keeps the first n different strings of ss, in order.
func distinct(ss []string, n int) []string {
	var out []string
	for _, s := range ss {
		if len(out) < n && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
