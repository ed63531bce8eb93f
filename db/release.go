package db

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// releaseLock is the first key of the advisory lock that makes a month's
// release computed once, whichever instance asks first.
const releaseLock = 0x72656c // "rel"

// releaseTimeout bounds the statements that compute a release (ms), and
// releaseCallTimeout the computation on the hub's side: that and the
// margin the hub gives a live backend to answer first.
const (
	releaseTimeout     = "300000"
	releaseCallTimeout = 300*time.Second + deadlineMargin
)

// maxCachedReleases bounds the releases an instance keeps in memory, the
// most recently read ones: at most 75 kB each with 98 municipalities and
// 200 NGOs (1,735 cells; their keys are shared between months), so twelve
// years of months take at most 11 MB.
const maxCachedReleases = 144

// releases are the monthly releases this instance has read or computed.
// A stored release is never changed or withdrawn (hub.release_save only
// inserts, and no role the hub uses may update or delete one), so what is
// kept here is what the database holds for as long as the process runs.
// A month not yet kept is loaded, or computed, once for all the requests
// that ask for it meanwhile (a flight), and at most one computation runs
// at a time, so that neither waiting requests nor computations of other
// months hold the pool's connections.
type releases struct {
	mu      sync.Mutex
	cached  map[exithub.Month]*list.Element // of exithub.Release; front: most recently read
	order   list.List
	keys    map[string]string // one copy of each cell key, shared by the months
	flights map[exithub.Month]*releaseFlight
	compute chan struct{} // held while a release is computed
	// stop ends with the instance: flights run detached from the requests
	// that started them and stop then.
	stop     context.Context
	stopping context.CancelFunc
	// loads counts the releases read from or computed in the database, for
	// tests.
	loads int
}

// releaseFlight is the loading or computing of one month's release; done
// is closed once rel and err are set.
type releaseFlight struct {
	done chan struct{}
	rel  exithub.Release
	err  error
}

func newReleases() *releases {
	r := &releases{cached: map[exithub.Month]*list.Element{}, keys: map[string]string{},
		flights: map[exithub.Month]*releaseFlight{}, compute: make(chan struct{}, 1)}
	r.stop, r.stopping = context.WithCancel(context.Background())
	return r
}

// get returns the month's release from memory, or the flight that brings
// it, starting one (run by fetch) if none is under way.
func (r *releases) get(ctx context.Context, m exithub.Month, fetch func(context.Context) (exithub.Release, error)) (exithub.Release, *releaseFlight) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.cached[m]; ok {
		r.order.MoveToFront(e)
		return e.Value.(exithub.Release), nil
	}
	if f, ok := r.flights[m]; ok {
		return exithub.Release{}, f
	}
	f := &releaseFlight{done: make(chan struct{})}
	r.flights[m] = f
	// The flight outlives the request that started it: the others wait
	// for it, and a computation that outlasts a request's deadline is
	// still stored. It keeps the request's values (who asks, under which
	// role) but not its cancellation, and ends with the instance.
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	unhook := context.AfterFunc(r.stop, cancel)
	go func() {
		defer cancel()
		defer unhook()
		rel, err := fetch(fctx)
		r.mu.Lock()
		defer r.mu.Unlock()
		delete(r.flights, m)
		if err == nil {
			rel = r.keep(rel)
		}
		f.rel, f.err = rel, err
		close(f.done)
	}()
	return exithub.Release{}, f
}

// keep puts a release in memory, in tables of their exact size, its keys
// shared with the other months', and drops the least recently read one beyond the bound; r.mu is held.
func (r *releases) keep(rel exithub.Release) exithub.Release {
	r.loads++
	for t, cells := range rel.Tables {
		kept := make([]exithub.ReleaseCell, len(cells))
		for i, c := range cells {
			k, ok := r.keys[c.Key]
			if !ok {
				k = c.Key
				r.keys[k] = k
			}
			kept[i] = exithub.ReleaseCell{Key: k, Cell: c.Cell}
		}
		rel.Tables[t] = kept
	}
	r.cached[rel.Month] = r.order.PushFront(rel)
	if r.order.Len() > maxCachedReleases {
		last := r.order.Back()
		r.order.Remove(last)
		delete(r.cached, last.Value.(exithub.Release).Month)
	}
	return rel
}

// errReleasePending answers a request that waited for a month's release
// as long as a request may: the computation goes on, and a later request
// reads what it stores.
func errReleasePending(m exithub.Month) error {
	return &exithub.Error{Code: exithub.EUNAVAILABLE,
		Message: fmt.Sprintf("the release of %s is being computed; ask again in a minute", m)}
}

// Release returns the release of a month: from memory when this instance
// has read it before, else the stored one, else computed and stored. A
// stored release is read from the replica while one is in use; a release
// not yet computed is computed on the primary, the only one that can
// store it, under a transaction-scoped advisory lock on the month, so that
// another instance asking meanwhile waits, then reads what the first
// stored. Every call is authorised and writes its audit record before it
// returns, whichever way the release came.
func (d *DB) Release(ctx context.Context, m exithub.Month, k int, publish func(exithub.ReleaseSource) (exithub.Release, error)) (exithub.Release, error) {
	var rel exithub.Release
	err := d.statisticsRead(ctx, func(call context.Context) error {
		var f *releaseFlight
		if rel, f = d.releases.get(ctx, m, func(ctx context.Context) (exithub.Release, error) {
			return d.fetchRelease(ctx, m, k, publish)
		}); f == nil {
			return nil
		}
		select {
		case <-f.done:
			rel = f.rel
			return f.err
		case <-call.Done():
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return errReleasePending(m)
		}
	})
	return rel, err
}

// fetchRelease reads the stored release of a month, or computes and stores
// it. It runs in a flight, on behalf of every request waiting for it: it
// records no audit entry of its own (each request records its own read).
func (d *DB) fetchRelease(ctx context.Context, m exithub.Month, k int, publish func(exithub.ReleaseSource) (exithub.Release, error)) (exithub.Release, error) {
	var rel exithub.Release
	err := d.readReplica(ctx, func(tx pgx.Tx, _ *exithub.Principal) error {
		var err error
		rel, err = loadRelease(ctx, tx, m)
		return err
	})
	if err != nil || rel.Tables != nil {
		return rel, err
	}
	select {
	case d.releases.compute <- struct{}{}:
		defer func() { <-d.releases.compute }()
	case <-ctx.Done():
		return rel, translate(ctx.Err())
	}
	err = d.txWithin(ctx, releaseCallTimeout, func(tx pgx.Tx, _ *exithub.Principal) error {
		// Computing a month takes longer than a request's statement timeout
		// at national scale; it happens once a month.
		if _, err := tx.Exec(ctx, "SELECT set_config('statement_timeout', $1, true)", releaseTimeout); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", releaseLock, m.Year*12+int(m.Month)); err != nil {
			return err
		}
		var err error
		if rel, err = loadRelease(ctx, tx, m); err != nil || rel.Tables != nil {
			return err
		}
		src, err := releaseSource(ctx, tx, m, k)
		if err != nil {
			return err
		}
		if rel, err = publish(src); err != nil {
			return err
		}
		stored, err := saveRelease(ctx, tx, rel)
		if err != nil || stored {
			return err
		}
		// Another computation stored the month first: that one is the
		// release, never this one.
		rel, err = loadRelease(ctx, tx, m)
		return err
	})
	return rel, err
}

func loadRelease(ctx context.Context, tx pgx.Tx, m exithub.Month) (exithub.Release, error) {
	rel := exithub.Release{Month: m}
	err := tx.QueryRow(ctx, "SELECT threshold, epsilon, k FROM hub.releases WHERE month = $1", dateValue(m.First())).
		Scan(&rel.Threshold, &rel.Epsilon, &rel.K)
	if err == pgx.ErrNoRows {
		return exithub.Release{}, nil
	}
	if err != nil {
		return rel, err
	}
	rel.Tables = map[exithub.TableID][]exithub.ReleaseCell{}
	rows, _ := tx.Query(ctx, "SELECT tbl, key, value FROM hub.release_cells WHERE month = $1 ORDER BY tbl, pos", dateValue(m.First()))
	var t exithub.TableID
	var c exithub.ReleaseCell
	_, err = pgx.ForEachRow(rows, []any{&t, &c.Key, &c.Cell.Value}, func() error {
		c.Cell.Suppressed = c.Cell.Value == nil
		rel.Tables[t] = append(rel.Tables[t], c)
		c.Cell.Value = nil
		return nil
	})
	return rel, err
}

func releaseSource(ctx context.Context, tx pgx.Tx, m exithub.Month, k int) (exithub.ReleaseSource, error) {
	src := exithub.ReleaseSource{Counts: map[exithub.TableID]map[string]int{}}
	rows, _ := tx.Query(ctx, "SELECT tbl, key, n FROM hub.release_source_ended($1, $2)", dateValue(m.Last()), k)
	var t exithub.TableID
	var key string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&t, &key, &n}, func() error {
		if src.Counts[t] == nil {
			src.Counts[t] = map[string]int{}
		}
		src.Counts[t][key] += n
		return nil
	})
	if err != nil {
		return src, fmt.Errorf("release source of %s: %w", m, err)
	}
	for kind, ids := range map[string]*[]string{"MUNICIPALITY": &src.Municipalities, "NGO": &src.NGOs} {
		rows, _ := tx.Query(ctx, "SELECT id::text FROM hub.organisations WHERE kind = $1 ORDER BY code", kind)
		if *ids, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return src, err
		}
	}
	return src, nil
}

// saveRelease stores a release unless the month has one already (then
// stored is false).
func saveRelease(ctx context.Context, tx pgx.Tx, rel exithub.Release) (stored bool, err error) {
	var tbls, keys []string
	var pos []int
	var values []*int
	for _, t := range exithub.ReleaseTables() {
		for i, c := range rel.Tables[t] {
			tbls, keys, pos, values = append(tbls, string(t)), append(keys, c.Key), append(pos, i), append(values, c.Cell.Value)
		}
	}
	err = tx.QueryRow(ctx, "SELECT hub.release_save_ended($1, $2, $3, $4, $5, $6, $7, $8)",
		dateValue(rel.Month.First()), rel.Threshold, rel.Epsilon, rel.K, tbls, pos, keys, values).Scan(&stored)
	return stored, err
}
