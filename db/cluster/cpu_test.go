package cluster

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/procfs"
)

// statDir is a fake /proc of the test's holding a stat line per pid.
func statDir(t *testing.T, stats map[int]string) string {
	t.Helper()
	dir := t.TempDir()
	for pid, line := range stats {
		d := filepath.Join(dir, strconv.Itoa(pid))
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "stat"), []byte(line), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// statTail ends a fake stat line after its CPU fields.
const statTail = " 20 0 1 0 100 1000 50 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"

func TestServerTicksSumsThePostmasterAndItsChildrenOnly(t *testing.T) {
	dir := statDir(t, map[int]string{
		// The postmaster: own 100+20, reaped children 5+5.
		4000: "4000 (postgres) S 1 4000 4000 0 -1 4194304 10 0 0 0 100 20 5 5" + statTail,
		// A backend, whose name holds spaces and parentheses: 120+30+7+3.
		4242: "4242 (postgres: exithub app 127.0.0.1(5) SELECT) S 4000 4242 4242 0 -1 4194304 10 0 0 0 120 30 7 3" + statTail,
		// Not a child of the postmaster: left out.
		4300: "4300 (bash) S 1 4300 4300 0 -1 4194304 10 0 0 0 999 999 0 0" + statTail,
	})
	ticks, err := serverTicks(func() (procfs.FS, error) { return procfs.NewFS(dir) }, 4000)
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(130 + 160); ticks != want {
		t.Fatalf("server %d ticks, want %d", ticks, want)
	}
}

// TestServerTicksCountsABackendReapedDuringTheReading: a backend that exits
// and is reaped while the server's processes are listed (as those of a pool
// closed just before a reading) is counted once, in the postmaster's
// reaped children, and not a second time among the live ones.
func TestServerTicksCountsABackendReapedDuringTheReading(t *testing.T) {
	postmaster := func(reaped string) string {
		return "4000 (postgres) S 1 4000 4000 0 -1 4194304 10 0 0 0 100 20 " + reaped + " 5" + statTail
	}
	backend := "4242 (postgres: exithub) S 4000 4242 4242 0 -1 4194304 10 0 0 0 120 30 0 0" + statTail
	// What /proc shows at each look: the backend alive for the postmaster's
	// first reading and the listing of its children, then reaped (its 150
	// ticks moved to the postmaster's) for the second, and from then on.
	alive := statDir(t, map[int]string{4000: postmaster("5"), 4242: backend})
	reaped := statDir(t, map[int]string{4000: postmaster("155")})
	looks := 0
	open := func() (procfs.FS, error) {
		looks++
		if looks <= 2 {
			return procfs.NewFS(alive)
		}
		return procfs.NewFS(reaped)
	}
	ticks, err := serverTicks(open, 4000)
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(120 + 155 + 5); ticks != want {
		t.Fatalf("server %d ticks, want %d", ticks, want)
	}
}

// TestCPUTimeKeepsTheWorkOfABackendThatHasExited: a real server's CPU
// holds what a backend spent, after the connection closed and the
// postmaster reaped it, as the bench's readings after a pool closes.
func TestCPUTimeKeepsTheWorkOfABackendThatHasExited(t *testing.T) {
	ctx := testContext(t)
	c := startTemp(t, TempOptions{})
	before, err := c.CPUTime()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	var backend int
	var n int64
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid(), (SELECT count(*) FROM generate_series(1, 5000000))").Scan(&backend, &n); err != nil {
		t.Fatal(err)
	}
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		t.Fatal(err)
	}
	s, err := procStat(fs, backend)
	if err != nil {
		t.Fatal(err)
	}
	spent := time.Duration(s.UTime+s.STime) * clockTick
	if spent == 0 {
		t.Fatalf("backend %d spent no CPU on counting %d rows", backend, n)
	}
	if err := conn.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for processAlive(backend) {
		select {
		case <-ctx.Done():
			t.Fatalf("backend %d still runs after its connection closed", backend)
		case <-time.After(10 * time.Millisecond):
		}
	}
	after, err := c.CPUTime()
	if err != nil {
		t.Fatal(err)
	}
	if after-before < spent {
		t.Fatalf("the server's CPU grew by %v, less than the %v of its exited backend", after-before, spent)
	}
}
