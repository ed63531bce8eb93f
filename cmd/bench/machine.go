package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// machine describes where a run happened, so results from different
// machines are not compared by mistake.
type machine struct {
	CPU    string
	Cores  int
	RAMGiB float64
	Kernel string
}

func readMachine() machine {
	m := machine{Cores: runtime.NumCPU(), CPU: "unknown", Kernel: "unknown"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(bufio.NewScanner(f))
		f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		m.RAMGiB = float64(memTotalKiB(bufio.NewScanner(f))) / (1 << 20)
		f.Close()
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel(s *bufio.Scanner) string {
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// memTotalKiB is MemTotal of /proc/meminfo.
func memTotalKiB(s *bufio.Scanner) uint64 {
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "MemTotal:"); ok {
			n, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64) // unparsable: 0, unknown
			return n
		}
	}
	return 0
}

func (m machine) String() string {
	return fmt.Sprintf("%s, %d cores, %.1f GiB RAM, Linux %s", m.CPU, m.Cores, m.RAMGiB, m.Kernel)
}

// gitCommit is the short commit, with -dirty when tracked files differ from
// it; untracked files (such as earlier results) do not count.
func gitCommit(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	status, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output()
	if err == nil && len(strings.TrimSpace(string(status))) > 0 {
		commit += "-dirty"
	}
	return commit
}
