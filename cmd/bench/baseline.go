package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// startPlain starts this program again as the plain-HTTP baseline.
func startPlain(dir, ownerURL string) (*hub, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), plainEnv+"="+addr, "DATABASE_URL="+ownerURL)
	c, err := startChild("plain-http", cmd, filepath.Join(dir, "plain-http.log"))
	if err != nil {
		return nil, err
	}
	p := &hub{child: c, url: "http://" + addr}
	if err := c.waitReady(time.Minute, httpOK(p.url+"/readyz")); err != nil {
		return nil, err
	}
	return p, nil
}

// plainInbox asks the baseline's path for each NGO in turn.
func plainInbox(url, path string, ngoIDs []string) scenario {
	header := http.Header{"Content-Type": {"application/json"}}
	var next atomic.Uint64
	return scenario{Name: "inbox", Targeter: func(t *vegeta.Target) error {
		id := ngoIDs[(next.Add(1)-1)%uint64(len(ngoIDs))]
		t.Method, t.URL, t.Header, t.Body = http.MethodPost, url+path+"?ngo="+id, header, []byte("{}")
		return nil
	}}
}

// plainHubPath names the plain-HTTP rows that go through the hub's database
// layer: hub ÷ this is the cost of GraphQL, tokens and middleware alone.
const plainHubPath = "plain HTTP (hub's db path)"

// baselines measures the inbox without the hub: raw pgx (the old three
// statements, the hub's one statement, the bare SELECT), then plain
// net/http through the hub's database layer with its audit path, then plain
// HTTP with the bare SELECT, the ceiling of HTTP + JSON + one query.
func (b *bench) baselines(ctx context.Context, ngoIDs []string) error {
	for _, raw := range []struct {
		name string
		q    rawQuery
	}{{"raw pgx (3 SELECTs)", rawInboxPage}, {"raw pgx (hub inbox statement)", rawHubStatement}, {"raw pgx (bare SELECT)", rawInboxSelect}} {
		if b.cfg.Warmup > 0 {
			if _, err := runRaw(ctx, b.db.OwnerURL, raw.name, raw.q, ngoIDs, b.cfg.Warmup); err != nil {
				return err
			}
		}
		b.sealAll(ctx, raw.name, "inbox")
		dbCPU := b.db.dbMeter()
		r, err := runRaw(ctx, b.db.OwnerURL, raw.name, raw.q, ngoIDs, b.cfg.Duration)
		if err != nil {
			return err
		}
		r.DBCPUPerReq = dbCPU(r.Requests)
		b.record(r)
	}
	p, err := startPlain(b.dir, b.db.OwnerURL)
	if err != nil {
		return err
	}
	defer p.stop()
	peak := load{Workers: b.cfg.Workers}
	b.run(ctx, plainHubPath, plainInbox(p.url, "/inbox", ngoIDs), peak, measuredHubs(p))
	b.run(ctx, "plain HTTP (bare SELECT)", plainInbox(p.url, "/inbox-select", ngoIDs), peak, measuredHubs(p))
	return nil
}
