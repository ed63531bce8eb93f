package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat.
// Linux fixes it at 100 on every architecture Go supports, and reading it
// with sysconf would need cgo.
const clockTicks = 100

// cpuTicks returns utime+stime of a process, in clock ticks.
func cpuTicks(pid int) (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime and stime (fields 14 and 15) of a
// /proc/<pid>/stat line.
func parseStatCPU(stat string) (uint64, error) {
	fields, err := statFields(stat)
	if err != nil {
		return 0, err
	}
	return sumFields(fields, 14, 15)
}

// statFields splits a /proc/<pid>/stat line after the command name, so
// that field n (counting from 1, as proc(5) does) is fields[n-3]. The
// command name in field 2 may hold spaces and parentheses, so fields are
// counted from its closing parenthesis.
func statFields(stat string) ([]string, error) {
	end := strings.LastIndexByte(stat, ')')
	if end < 0 {
		return nil, fmt.Errorf("procstat: no command name in %q", stat)
	}
	fields := strings.Fields(stat[end+1:])
	if len(fields) < 17-2 {
		return nil, fmt.Errorf("procstat: only %d fields after the command name", len(fields))
	}
	return fields, nil
}

// sumFields adds fields first to last of a split stat line.
func sumFields(fields []string, first, last int) (uint64, error) {
	var total uint64
	for n := first; n <= last; n++ {
		v, err := strconv.ParseUint(fields[n-3], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("procstat: field %d: %w", n, err)
		}
		total += v
	}
	return total, nil
}

// memory is a process's resident memory in KiB.
type memory struct {
	PeakKiB, NowKiB uint64 // VmHWM and VmRSS
}

// processMemory reads VmHWM and VmRSS from /proc/<pid>/status.
func processMemory(pid int) (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	return parseStatusMemory(bufio.NewScanner(f))
}

// parseStatusMemory picks VmHWM and VmRSS out of /proc/<pid>/status lines
// such as "VmHWM:\t   10240 kB".
func parseStatusMemory(s *bufio.Scanner) (memory, error) {
	var m memory
	for s.Scan() {
		name, value, ok := strings.Cut(s.Text(), ":")
		if !ok || (name != "VmHWM" && name != "VmRSS") {
			continue
		}
		kib, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("procstat: %s: %w", name, err)
		}
		if name == "VmHWM" {
			m.PeakKiB = kib
		} else {
			m.NowKiB = kib
		}
	}
	return m, s.Err()
}

// resetPeakRSS makes VmHWM start again from the current RSS, so each run
// reports its own peak rather than the process's since start. Writing 5 to
// clear_refs needs the same user as the process; when refused, VmHWM is
// the peak since start, which the README says.
func resetPeakRSS(pid int) {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// treeTicks is the CPU of a PostgreSQL server, in clock ticks: the
// postmaster's own and its reaped children's, plus every live child's
// (the backends serving the run, the WAL writer, autovacuum).
func treeTicks(root int) (uint64, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", root))
	if err != nil {
		return 0, err
	}
	total, err := parseStatTotal(string(stat))
	if err != nil {
		return 0, err
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == root {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue // gone since the listing
		}
		if ppid, t, err := parseStatChild(string(b)); err == nil && ppid == root {
			total += t
		}
	}
	return total, nil
}

// parseStatTotal is utime+stime+cutime+cstime (fields 14–17).
func parseStatTotal(stat string) (uint64, error) {
	_, t, err := parseStatChild(stat)
	return t, err
}

// parseStatChild reads the parent pid (field 4) and utime+stime+cutime+
// cstime (fields 14–17) of a /proc/<pid>/stat line.
func parseStatChild(stat string) (int, uint64, error) {
	fields, err := statFields(stat)
	if err != nil {
		return 0, 0, err
	}
	ppid, err := strconv.Atoi(fields[4-3])
	if err != nil {
		return 0, 0, fmt.Errorf("procstat: ppid: %w", err)
	}
	total, err := sumFields(fields, 14, 17)
	return ppid, total, err
}

// postmasterPID reads the server's pid from the first line of
// postmaster.pid in its data directory.
func postmasterPID(dataDir string) (int, error) {
	b, err := os.ReadFile(dataDir + "/postmaster.pid")
	if err != nil {
		return 0, err
	}
	first, _, _ := strings.Cut(string(b), "\n")
	return strconv.Atoi(strings.TrimSpace(first))
}
