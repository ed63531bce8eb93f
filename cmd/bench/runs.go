package main

import (
	"context"
	"fmt"
)

// scenarioFor builds a hub scenario by name against the given endpoints.
func (b *bench) scenarioFor(name string, at *endpoints) scenario {
	w := newWrites(at, b.fx.cws, b.fx.writes).scenario()
	switch name {
	case "inbox":
		return inbox(at, b.fx.ngos)
	case "writes":
		return w
	case "statistics":
		return statistics(at, b.fx.analyst)
	}
	return mix(share{80, inbox(at, b.fx.ngos)}, share{15, w}, share{5, statistics(at, b.fx.analyst)})
}

// hubScenarios runs each named scenario at its fixed rate and then at the
// peak, against hubs whose costs are summed.
func (b *bench) hubScenarios(ctx context.Context, setup string, names []string, hubs ...*hub) {
	at := newEndpoints(hubs...)
	for _, name := range names {
		s := b.scenarioFor(name, at)
		b.run(ctx, setup, s, load{Rate: b.cfg.Rates[name], Workers: b.cfg.MaxWorkers}, measuredHubs(hubs...))
		b.run(ctx, setup, s, load{Workers: b.cfg.Workers}, measuredHubs(hubs...))
	}
}

// run warms up with the same scenario and load, then measures one run and
// records its row; nothing once ctx has ended.
func (b *bench) run(ctx context.Context, setup string, s scenario, l load, m measured) {
	if ctx.Err() != nil {
		return
	}
	if b.cfg.Warmup > 0 {
		drive(ctx, s, l, b.cfg.Warmup)
	}
	b.sealAll(ctx, setup, s.Name)
	before, err := m.begin()
	if err != nil {
		b.rep.note("%s %s: reading the server's counters: %v", setup, s.Name, err)
	}
	dbCPU := b.db.dbMeter()
	r := drive(ctx, s, l, b.cfg.Duration).row(setup, s.Name, l)
	b.sealAll(ctx, setup, s.Name)
	r.DBCPUPerReq = dbCPU(r.Requests)
	if err == nil {
		if err := m.end(before, &r); err != nil {
			b.rep.note("%s %s: reading the server's counters: %v", setup, s.Name, err)
		}
	}
	b.record(r)
}

// sealAll seals the audit records written so far (database.sealAll), and
// notes under the table when it cannot.
func (b *bench) sealAll(ctx context.Context, setup, scenario string) {
	if err := b.db.sealAll(ctx); err != nil {
		b.rep.note("%s %s: %v", setup, scenario, err)
	}
}

// record adds a row to the report and shows it at once.
func (b *bench) record(r row) {
	b.rep.add(r)
	b.progress("%-26s %-10s %-9s %6.0f ok/s  success %s  p50 %s  p99 %s  CPU %s µs/req  DB CPU %s µs/req  SQL %s/req",
		r.Setup, r.Scenario, r.Load, r.Throughput(), formatPercent(r.Success()), formatLatency(r.P50),
		formatLatency(r.P99), formatFloat(r.CPUPerReq, 0), formatFloat(r.DBCPUPerReq, 0), formatFloat(r.SQLPerReq, 1))
}

func (b *bench) runBaselines(ctx context.Context) error {
	var codes []string
	for _, p := range b.fx.ngos {
		codes = append(codes, p.Org)
	}
	ids, err := b.db.orgIDs(ctx, codes)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("baselines: none of the NGOs %v exists", codes)
	}
	return b.baselines(ctx, ids)
}

// scaleOutSetup names the rows of the scale-out scenario.
const scaleOutSetup = "hub ×2 + PgBouncer"

// scaleOut runs two hubs behind PgBouncer in transaction mode, with LISTEN
// direct to PostgreSQL, and drives inbox and mix round-robin over both.
func (b *bench) scaleOut(ctx context.Context) error {
	bin := pgbouncerBin(ctx, b.progress)
	if bin == "" {
		b.rep.note("scale-out skipped: pgbouncer is not installed (Debian's package pgbouncer)")
		b.progress("scale-out skipped: pgbouncer is not installed")
		return nil
	}
	pooled, stop, err := startPgBouncer(bin, b.db.OwnerURL)
	if err != nil {
		return fmt.Errorf("scale-out: %w", err)
	}
	defer stop()
	cfg := hubConfig{DatabaseURL: pooled, ListenURL: b.db.OwnerURL, ExecMode: "simple_protocol"}
	var hubs []*hub
	defer func() { stopHubs(hubs...) }()
	for _, name := range []string{"hub-a", "hub-b"} {
		h, err := startHub(b.bin, b.keys.Dir(), b.dir, name, cfg)
		if err != nil {
			return fmt.Errorf("scale-out: %w", err)
		}
		hubs = append(hubs, h)
	}
	b.hubScenarios(ctx, scaleOutSetup, []string{"inbox", "mix"}, hubs...)
	return nil
}
