package db_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

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
// live and reaped children) from /proc, read before and after. The records
// the reads wrote are then sealed until none is left, and that CPU is
// reported apart, per read, so that no sealing of earlier records counts:
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
	pm := postmasterOf(b, url)
	readAll(b, inboxCPUReaders, 200)
	sealAll(b)
	for _, readers := range []int{1, inboxCPUReaders} {
		b.Run(fmt.Sprintf("readers=%d", readers), func(b *testing.B) {
			t0 := serverTicks(b, pm)
			b.ResetTimer()
			readAll(b, readers, b.N)
			b.StopTimer()
			t1 := serverTicks(b, pm)
			sealed := sealAll(b)
			t2 := serverTicks(b, pm)
			if sealed < b.N {
				b.Fatalf("sealed %d records after %d reads", sealed, b.N)
			}
			perRead := func(ticks uint64) float64 { return float64(ticks) * 1e6 / clockTicks / float64(b.N) }
			b.ReportMetric(perRead(t1-t0), "db-µs/read")
			b.ReportMetric(perRead(t2-t1), "seal-µs/read")
			b.ReportMetric(perRead(t2-t0), "total-µs/read")
		})
	}
}

// clockTicks is USER_HZ, the unit of CPU times in /proc/<pid>/stat: 100 on
// every architecture Go supports.
const clockTicks = 100

// postmasterOf is the pid of the server of url: the parent of a backend.
func postmasterOf(b *testing.B, url string) int {
	conn := rawConn(b, url)
	var backend int
	mustScan(b, conn, "SELECT pg_backend_pid()", &backend)
	return procStat(b, backend).ppid
}

// serverTicks is the CPU of a PostgreSQL server so far, in clock ticks:
// the postmaster's own and its reaped children's, and every live child's.
// A child reaped while the others are read would be in neither sum (or in
// both): the reading is taken again until the postmaster reaped none
// meanwhile.
func serverTicks(b testing.TB, postmaster int) uint64 {
	for range 100 {
		before := procStat(b, postmaster)
		children := childTicks(b, postmaster)
		after := procStat(b, postmaster)
		if after.reaped == before.reaped {
			return after.own + after.reaped + children
		}
	}
	b.Fatalf("the children of %d kept exiting through 100 readings", postmaster)
	return 0
}

// childTicks is the CPU of the live children of postmaster and of the
// children they reaped.
func childTicks(b testing.TB, postmaster int) uint64 {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		b.Fatal(err)
	}
	var total uint64
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == postmaster {
			continue
		}
		s, ok := readProcStat(pid)
		if ok && s.ppid == postmaster {
			total += s.own + s.reaped
		}
	}
	return total
}

type procStatus struct {
	ppid   int
	own    uint64 // utime+stime
	reaped uint64 // cutime+cstime: of the children it waited for
}

func procStat(b testing.TB, pid int) procStatus {
	s, ok := readProcStat(pid)
	if !ok {
		b.Fatalf("cannot read /proc/%d/stat", pid)
	}
	return s
}

// readProcStat reads a process's parent and CPU; false when it is gone.
func readProcStat(pid int) (procStatus, bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStatus{}, false
	}
	// The command may hold spaces and parentheses: fields follow the last ')'.
	i := strings.LastIndexByte(string(raw), ')')
	if i < 0 {
		return procStatus{}, false
	}
	f := strings.Fields(string(raw[i+1:]))
	if len(f) < 15 {
		return procStatus{}, false
	}
	// f[0] is field 3 (state): ppid is field 4, utime..cstime fields 14–17.
	ppid, err := strconv.Atoi(f[1])
	if err != nil {
		return procStatus{}, false
	}
	var ticks [4]uint64
	for j, s := range f[11:15] {
		if ticks[j], err = strconv.ParseUint(s, 10, 64); err != nil {
			return procStatus{}, false
		}
	}
	return procStatus{ppid: ppid, own: ticks[0] + ticks[1], reaped: ticks[2] + ticks[3]}, true
}
