package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"exithub"
	"exithub/db"
	"exithub/db/pgtest"
	"exithub/db/seed"
	"exithub/policy"
)

// inboxCPUReaders is how many reads run at once in BenchmarkInboxDatabaseCPU,
// as the bench's closed loop of 16 workers.
const inboxCPUReaders = 16

// BenchmarkInboxDatabaseCPU drives NGO inbox pages (with their history)
// through the hub's read path (the pipelined read, the audit writer's group
// commit) from one goroutine and from 16 against a national seed, and reports
// PostgreSQL's CPU per read: the server's processes (the postmaster, its
// live and reaped children, as cluster.CPUTime reads them), before and
// after. The records the reads wrote are then sealed until none is left,
// and that CPU is reported apart, per read, so that no sealing of earlier
// records counts:
//
//	go test ./db -run '^$' -bench InboxDatabaseCPU -benchtime 10000x
//
// CPU is counted in clock ticks (10 ms), so the figures need thousands of
// reads to mean anything.
func BenchmarkInboxDatabaseCPU(b *testing.B) {
	ctx := context.Background()
	url := pgtest.NewDatabase(b)
	if _, err := seed.National(ctx, url, 0.02); err != nil {
		b.Fatal(err)
	}
	// As the bench does: the loaded tables' autovacuum falls in no read.
	mustExec(b, rawConn(b, url), "VACUUM")
	authz, err := policy.New()
	if err != nil {
		b.Fatal(err)
	}
	d, err := db.Open(ctx, db.Config{URL: url}, authz, testKey)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(d.Close)
	org, err := d.OrganisationByCode(ctx, "ngo-001")
	if err != nil {
		b.Fatal(err)
	}
	ngo := exithub.NewContextWithPrincipal(ctx, &exithub.Principal{Sub: "ngo_worker@ngo-001", Role: exithub.RoleNGOWorker, Org: *org})
	read := func() error {
		refs, _, err := d.FindReferrals(ngo, exithub.ReferralFilter{}, exithub.Page{Size: 20}, exithub.ReferralParts{Events: true, Brief: true, BriefEvents: true})
		if err == nil && len(refs) == 0 {
			err = fmt.Errorf("ngo-001's inbox is empty")
		}
		return err
	}
	readAll := func(b *testing.B, readers, n int) {
		var wg sync.WaitGroup
		next := make(chan struct{}, n)
		for range n {
			next <- struct{}{}
		}
		close(next)
		for range readers {
			wg.Go(func() {
				for range next {
					if err := read(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
	}
	sealAll := func(b *testing.B) int {
		total := 0
		for {
			n, err := d.Seal(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				return total
			}
			total += n
		}
	}
	serverCPU := func(b *testing.B) time.Duration {
		d, err := pgtest.Cluster().CPUTime()
		if err != nil {
			b.Fatal(err)
		}
		return d
	}
	readAll(b, inboxCPUReaders, 200)
	sealAll(b)
	for _, readers := range []int{1, inboxCPUReaders} {
		b.Run(fmt.Sprintf("readers=%d", readers), func(b *testing.B) {
			t0 := serverCPU(b)
			b.ResetTimer()
			readAll(b, readers, b.N)
			b.StopTimer()
			t1 := serverCPU(b)
			sealed := sealAll(b)
			t2 := serverCPU(b)
			if sealed < b.N {
				b.Fatalf("sealed %d records after %d reads", sealed, b.N)
			}
			perRead := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N) }
			b.ReportMetric(perRead(t1-t0), "db-µs/read")
			b.ReportMetric(perRead(t2-t1), "seal-µs/read")
			b.ReportMetric(perRead(t2-t0), "total-µs/read")
		})
	}
}
