package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus/procfs"
)

// fakeProc points procFS at a directory of /proc files for the test.
func fakeProc(t *testing.T, files map[string]string) {
	t.Helper()
	dir := procDir(t, files)
	old := procFS
	procFS = func() (procfs.FS, error) { return procfs.NewFS(dir) }
	t.Cleanup(func() { procFS = old })
}

// procDir writes /proc files into a directory of the test's and returns it.
func procDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCPUTicksIsUserAndSystemTime(t *testing.T) {
	// utime 1234 and stime 56 are fields 14 and 15; the name holds spaces
	// and a parenthesis, as a process may name itself.
	fakeProc(t, map[string]string{"4242/stat": "4242 (exit hub) (x)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 56 0 0 20 0 12 0 100 1000000 2000 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"})
	got, err := cpuTicks(4242)
	if err != nil || got != 1290 {
		t.Fatalf("cpuTicks = %d, %v; want 1290", got, err)
	}
}

func TestCPUTicksRefusesGarbage(t *testing.T) {
	fakeProc(t, map[string]string{"4242/stat": "4242 exithub S 1\n"})
	if _, err := cpuTicks(4242); err == nil {
		t.Error("a stat line without a command name was read")
	}
	if _, err := cpuTicks(4243); err == nil {
		t.Error("a missing process was read")
	}
}

func TestProcessMemoryIsPeakAndResidentKiB(t *testing.T) {
	fakeProc(t, map[string]string{"4242/status": "Name:\texithub\nVmPeak:\t 2000000 kB\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nThreads:\t12\n"})
	m, err := processMemory(4242)
	if err != nil || m.PeakKiB != 20480 || m.NowKiB != 10240 {
		t.Fatalf("processMemory = %+v, %v", m, err)
	}
}

func TestOwnProcessHasCPUAndMemory(t *testing.T) {
	if _, err := cpuTicks(os.Getpid()); err != nil {
		t.Fatal(err)
	}
	m, err := processMemory(os.Getpid())
	if err != nil || m.NowKiB == 0 || m.PeakKiB < m.NowKiB {
		t.Fatalf("processMemory = %+v, %v", m, err)
	}
}

// statTail ends a fake stat line after its CPU fields.
const statTail = " 20 0 1 0 100 1000 50 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"

func TestTreeTicksSumsTheRootAndItsChildrenOnly(t *testing.T) {
	fakeProc(t, map[string]string{
		// The postmaster: own 100+20, reaped children 5+5.
		"4000/stat": "4000 (postgres) S 1 4000 4000 0 -1 4194304 10 0 0 0 100 20 5 5" + statTail,
		// A backend, whose name holds spaces and parentheses: 120+30+7+3.
		"4242/stat": "4242 (postgres: exithub app 127.0.0.1(5) SELECT) S 4000 4242 4242 0 -1 4194304 10 0 0 0 120 30 7 3" + statTail,
		// Not a child of the postmaster: left out.
		"4300/stat": "4300 (bash) S 1 4300 4300 0 -1 4194304 10 0 0 0 999 999 0 0" + statTail,
	})
	ticks, err := treeTicks(4000)
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(130 + 160); ticks != want {
		t.Fatalf("tree %d ticks, want %d", ticks, want)
	}
}

// TestTreeTicksCountsABackendReapedDuringTheReading: a backend that exits
// and is reaped while the server's processes are listed (as those of a pool
// closed just before a reading) is counted once, in the postmaster's
// reaped children, and not lost between the two.
func TestTreeTicksCountsABackendReapedDuringTheReading(t *testing.T) {
	postmaster := func(reaped string) string {
		return "4000 (postgres) S 1 4000 4000 0 -1 4194304 10 0 0 0 100 20 " + reaped + " 5" + statTail
	}
	backend := "4242 (postgres: exithub) S 4000 4242 4242 0 -1 4194304 10 0 0 0 120 30 0 0" + statTail
	// What /proc shows at each look: the backend alive, then reaped (its
	// 150 ticks moved to the postmaster's), then as it stays.
	views := []map[string]string{
		{"4000/stat": postmaster("5"), "4242/stat": backend},
		{"4000/stat": postmaster("155")},
	}
	looks := []int{0, 1, 1, 1, 1, 1}
	dirs := make([]string, len(views))
	for i, v := range views {
		dirs[i] = procDir(t, v)
	}
	n := 0
	old := procFS
	t.Cleanup(func() { procFS = old })
	procFS = func() (procfs.FS, error) {
		look := looks[min(n, len(looks)-1)]
		n++
		return procfs.NewFS(dirs[look])
	}
	ticks, err := treeTicks(4000)
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(120 + 155 + 5); ticks != want {
		t.Fatalf("tree %d ticks, want %d", ticks, want)
	}
}
