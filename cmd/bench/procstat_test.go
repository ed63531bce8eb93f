package main

import (
	"errors"
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

func TestPeakRSSIsUnknownWhenItCouldNotBeReset(t *testing.T) {
	fakeProc(t, map[string]string{
		"4242/stat":   "4242 (exithub) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 56 0 0 20 0 12 0 100 1000000 2000 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		"4242/status": "Name:\texithub\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\n",
	})
	m := measured{pids: []int{4242}}
	var r row
	if err := m.end(sample{}, &r); err != nil || r.PeakRSSKiB != 20480 {
		t.Fatalf("after a reset: peak %d KiB, %v; want 20480", r.PeakRSSKiB, err)
	}
	r = row{}
	err := m.end(sample{peakErr: errors.New("refused")}, &r)
	if err == nil || r.PeakRSSKiB != 0 || r.RSSKiB != 10240 {
		t.Fatalf("without a reset: peak %d KiB, RSS %d KiB, %v; want an unknown peak, said so, and the RSS", r.PeakRSSKiB, r.RSSKiB, err)
	}
}
