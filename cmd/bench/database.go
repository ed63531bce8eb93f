package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db"
	"exithub/db/cluster"
	"exithub/db/seed"
)

// database is the PostgreSQL the benchmark runs against: DATABASE_URL, or a
// throwaway cluster removed at the end.
type database struct {
	OwnerURL string
	Port     int              // the throwaway cluster's, for PgBouncer; 0 with DATABASE_URL
	cluster  *cluster.Cluster // nil with DATABASE_URL
}

// tuning gives the throwaway cluster room for a national dataset; the
// cluster package already turns durability off, which a benchmark of the
// hub's own costs does not need either.
var tuning = map[string]string{
	"shared_buffers":  "512MB",
	"max_connections": "200",
	"max_wal_size":    "4GB",
}

func openDatabase(ctx context.Context) (*database, error) {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return &database{OwnerURL: u}, nil
	}
	cluster.RemoveStale()
	c, err := cluster.StartTemp(ctx, cluster.TempOptions{Settings: tuning})
	if err != nil {
		return nil, err
	}
	if err := c.CreateDatabase(ctx, "exithub", ""); err != nil {
		c.Remove()
		return nil, err
	}
	return &database{OwnerURL: c.URL("exithub"), Port: c.Port, cluster: c}, nil
}

// close removes the throwaway cluster, if there is one.
func (d *database) close() {
	if d.cluster != nil {
		if err := d.cluster.Remove(); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
	}
}

// ministry is the organisation whose analyst reads the statistics; the
// national seed makes only municipalities and NGOs.
var ministry = seed.Org{Code: "ministry", Name: "Social-, Børne- og Integrationsministeriet", Kind: exithub.KindMinistry}

// prepare migrates and, when asked, loads the national dataset, returning
// how long the load took.
func (d *database) prepare(ctx context.Context, scale float64, load bool, step func(string, time.Duration)) (time.Duration, error) {
	if err := db.Migrate(ctx, d.OwnerURL); err != nil {
		return 0, err
	}
	var took time.Duration
	if load {
		start := time.Now()
		if _, err := seed.NationalWithProgress(ctx, d.OwnerURL, scale, step); err != nil {
			return 0, fmt.Errorf("national seed: %w", err)
		}
		took = time.Since(start)
	}
	conn, err := pgx.Connect(ctx, d.OwnerURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	if load {
		// Tables loaded by COPY are due for autovacuum (its insert threshold)
		// within a minute: vacuumed now, before any run, that one-off work on
		// the seed is counted in no run's PostgreSQL CPU.
		start := time.Now()
		if _, err := conn.Exec(ctx, "VACUUM"); err != nil {
			return 0, fmt.Errorf("vacuum after the seed: %w", err)
		}
		step("vacuum", time.Since(start))
	}
	return took, pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return seed.AddOrganisation(ctx, tx, ministry) })
}

// countedTables are the tables whose sizes the report's header lists.
var countedTables = []string{"organisations", "citizens", "consents", "referrals", "referral_events", "courses", "course_events"}

// describe reads the server's version and the tables' row counts.
func (d *database) describe(ctx context.Context) (string, []count, error) {
	conn, err := pgx.Connect(ctx, d.OwnerURL)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	var version string
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		return "", nil, err
	}
	counts := make([]count, len(countedTables))
	for i, t := range countedTables {
		counts[i].Table = t
		err := conn.QueryRow(ctx, "SELECT count(*) FROM hub."+pgx.Identifier{t}.Sanitize()).Scan(&counts[i].N)
		if err != nil {
			return "", nil, err
		}
	}
	return version, counts, nil
}

// orgIDs maps organisation codes to ids, for the baselines that query as
// the owner with the NGO as a parameter.
func (d *database) orgIDs(ctx context.Context, codes []string) ([]string, error) {
	conn, err := pgx.Connect(ctx, d.OwnerURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, "SELECT id::text FROM hub.organisations WHERE code = ANY($1) ORDER BY code", codes)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// cpuTime is the throwaway cluster's CPU so far; an error with
// DATABASE_URL, whose server may be anywhere.
func (d *database) cpuTime() (time.Duration, error) {
	if d.cluster == nil {
		return 0, errors.New("bench: PostgreSQL's CPU is measured only in its own cluster")
	}
	return d.cluster.CPUTime()
}

// dbMeter starts measuring the cluster's CPU; the function it returns gives
// the µs per request since, NaN when the cluster cannot be measured.
func (d *database) dbMeter() func(requests uint64) float64 {
	before, err := d.cpuTime()
	return func(requests uint64) float64 {
		after, err2 := d.cpuTime()
		if err != nil || err2 != nil {
			return unmeasured
		}
		return perRequest(float64((after - before).Microseconds()), requests)
	}
}

// sealAll seals every audit record committed so far: hub.seal() until a
// round seals none. Called before a run, it keeps the sealing of records
// that earlier runs and warm-ups wrote out of the run's PostgreSQL CPU;
// called at the run's end, inside its measurement, it adds the sealing of
// the run's own records, which the hubs' sealers (one round a second) would
// otherwise leave, in part, to the next run.
func (d *database) sealAll(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, d.OwnerURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for {
		var n int
		if err := conn.QueryRow(ctx, "SELECT hub.seal()").Scan(&n); err != nil {
			return fmt.Errorf("sealing the audit records: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}
