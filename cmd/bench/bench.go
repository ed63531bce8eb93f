package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"exithub"
	"exithub/auth"
)

// bench is one run of the harness: a database, the hub's binary and keys,
// the principals, and the report being filled.
type bench struct {
	cfg  config
	rep  *report
	db   *database
	dir  string // keys, the hub's binary, logs
	bin  string
	keys *auth.KeyDir
	fx   fixtures
	log  io.Writer
}

// fixtures are the principals the scenarios act as.
type fixtures struct {
	ngos    []principal
	analyst principal
	cws     []caseworker
	writes  *writeState
}

// run executes the whole benchmark and returns the report; out receives
// progress lines.
func run(ctx context.Context, cfg config, out io.Writer) (*report, error) {
	b := &bench{cfg: cfg, log: out, rep: &report{Started: time.Now(), Machine: readMachine(), Go: runtime.Version(),
		Commit: gitCommit(ctx), Scale: cfg.Scale}}
	var err error
	if b.dir, err = os.MkdirTemp("", "exithub-bench-"); err != nil {
		return nil, err
	}
	defer os.RemoveAll(b.dir)
	b.progress("starting PostgreSQL")
	if b.db, err = openDatabase(ctx); err != nil {
		return nil, err
	}
	defer b.db.close()
	if err := b.prepare(ctx); err != nil {
		return nil, err
	}
	return b.rep, b.measure(ctx)
}

// prepare loads the data and builds the hub.
func (b *bench) prepare(ctx context.Context) error {
	b.progress("migrating and loading the national dataset at scale %g", b.cfg.Scale)
	took, err := b.db.prepare(ctx, b.cfg.Scale, b.cfg.Seed, func(step string, took time.Duration) {
		b.progress("  %s: %s", step, took.Round(time.Millisecond))
	})
	if err != nil {
		return err
	}
	b.rep.Seed = took
	b.progress("seed took %s", took.Round(100*time.Millisecond))
	if b.rep.PostgreSQL, b.rep.Counts, err = b.db.describe(ctx); err != nil {
		return err
	}
	b.progress("building the hub")
	if b.bin, err = buildHub(ctx, b.dir); err != nil {
		return err
	}
	b.keys, err = auth.OpenKeyDir(b.dir + "/keys")
	return err
}

// measure runs the single hub's scenarios, the baselines and the scale-out.
func (b *bench) measure(ctx context.Context) error {
	h, err := startHub(b.bin, b.keys.Dir(), b.dir, "hub", hubConfig{DatabaseURL: b.db.OwnerURL})
	if err != nil {
		return err
	}
	if err := b.setUpFixtures(h.url + "/graphql"); err != nil {
		h.stop()
		return err
	}
	if err := b.computeReleases(h.url + "/graphql"); err != nil {
		h.stop()
		return err
	}
	b.hubScenarios(ctx, "hub", scenarioNames, h)
	h.stop()
	if b.cfg.Baselines && ctx.Err() == nil {
		if err := b.runBaselines(ctx); err != nil {
			return err
		}
	}
	if b.cfg.ScaleOut && ctx.Err() == nil {
		if err := b.scaleOut(ctx); err != nil {
			return err
		}
	}
	b.rep.Ratios = ratios(b.rep.Rows)
	return ctx.Err()
}

func (b *bench) setUpFixtures(url string) error {
	var codes []string
	for i := 1; i <= b.cfg.NGOs; i++ {
		codes = append(codes, fmt.Sprintf("ngo-%03d", i))
	}
	for _, code := range codes {
		p, err := mintPrincipal(b.keys, code, exithub.RoleNGOWorker)
		if err != nil {
			return err
		}
		b.fx.ngos = append(b.fx.ngos, p)
	}
	var err error
	if b.fx.analyst, err = mintPrincipal(b.keys, ministry.Code, exithub.RoleAnalyst); err != nil {
		return err
	}
	runID := rand.Text()[:8]
	b.fx.writes = newWriteState(runID)
	for _, org := range caseworkerOrgs(b.cfg.Caseworker) {
		p, err := mintPrincipal(b.keys, org, exithub.RoleCaseworker)
		if err != nil {
			return err
		}
		cw, err := setUpCaseworker(url, p, runID)
		if err != nil {
			return fmt.Errorf("set up the writes' caseworker: %w", err)
		}
		b.fx.cws = append(b.fx.cws, cw)
	}
	return nil
}

// computeReleases asks once for every month the statistics scenario may
// draw, before any run: a month's release is computed once, at its first
// request (seconds at scale 0.1), and stored, so the runs measure what
// every later read of a month costs, as a ministry's would, and the header
// says what the computations took. A request that waits longer than the
// hub's deadline is answered "being computed" while the computation goes
// on; it is asked again.
func (b *bench) computeReleases(url string) error {
	start := time.Now()
	months := closedMonthEnds()
	for _, d := range months {
		for attempt := 1; ; attempt++ {
			_, err := call(url, b.fx.analyst, groupedMonthQuery, map[string]any{"d": d})
			if err == nil {
				break
			}
			if !strings.Contains(err.Error(), "being computed") || attempt == 100 {
				return fmt.Errorf("the release of the month ending %s: %w", d, err)
			}
		}
	}
	b.rep.Releases, b.rep.ReleaseMonths = time.Since(start), len(months)
	b.progress("releases of %d months computed in %s", len(months), b.rep.Releases.Round(100*time.Millisecond))
	return nil
}

// progress tells the person waiting what the harness is doing.
func (b *bench) progress(format string, args ...any) {
	fmt.Fprintf(b.log, "bench: "+format+"\n", args...)
}
