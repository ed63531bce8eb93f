package main

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func TestParseStatCPUCountsFromTheLastParenthesis(t *testing.T) {
	// utime 1234 and stime 56 are fields 14 and 15; the name holds spaces
	// and a parenthesis, as a process may name itself.
	stat := "4242 (exit hub) (x)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 56 0 0 20 0 12 0 100 1000000 2000 18446744073709551615"
	got, err := parseStatCPU(stat)
	if err != nil || got != 1290 {
		t.Fatalf("parseStatCPU = %d, %v; want 1290", got, err)
	}
}

func TestParseStatCPURefusesGarbage(t *testing.T) {
	for _, s := range []string{"", "4242 exithub S 1", "4242 (exithub) S 1 2 3"} {
		if _, err := parseStatCPU(s); err == nil {
			t.Errorf("parseStatCPU(%q) accepted", s)
		}
	}
}

func TestParseStatusMemory(t *testing.T) {
	status := "Name:\texithub\nVmPeak:\t 2000000 kB\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nThreads:\t12\n"
	m, err := parseStatusMemory(bufio.NewScanner(strings.NewReader(status)))
	if err != nil || m.PeakKiB != 20480 || m.NowKiB != 10240 {
		t.Fatalf("parseStatusMemory = %+v, %v", m, err)
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

func TestParseStatChildSumsOwnAndReapedChildrenCPU(t *testing.T) {
	line := "4242 (postgres: exithub app 127.0.0.1(5) SELECT) S 4000 4242 4242 0 -1 4194304 10 0 0 0 120 30 7 3 20 0 1 0 100 1000 50"
	ppid, ticks, err := parseStatChild(line)
	if err != nil {
		t.Fatal(err)
	}
	if ppid != 4000 || ticks != 160 {
		t.Fatalf("ppid %d ticks %d, want 4000 and 120+30+7+3 = 160", ppid, ticks)
	}
	if _, _, err := parseStatChild("4242 (x) S 1 2"); err == nil {
		t.Fatal("a short line parsed")
	}
}

func TestTreeTicksCountsThisProcessAsARoot(t *testing.T) {
	own, err := cpuTicks(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	ticks, err := treeTicks(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if ticks < own {
		t.Fatalf("tree %d ticks below the root's own %d", ticks, own)
	}
}
