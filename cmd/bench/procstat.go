package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/prometheus/procfs"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat.
// Linux fixes it at 100 on every architecture Go supports, and reading it
// with sysconf would need cgo.
const clockTicks = 100

// procFS reads processes from /proc through prometheus/procfs; tests point
// it at a directory of their own.
var procFS = func() (procfs.FS, error) { return procfs.NewDefaultFS() }

// cpuTicks returns utime+stime of a process, in clock ticks.
func cpuTicks(pid int) (uint64, error) {
	s, err := procStat(pid)
	if err != nil {
		return 0, err
	}
	return uint64(s.UTime + s.STime), nil
}

func procStat(pid int) (procfs.ProcStat, error) {
	fs, err := procFS()
	if err != nil {
		return procfs.ProcStat{}, err
	}
	p, err := fs.Proc(pid)
	if err != nil {
		return procfs.ProcStat{}, err
	}
	return p.Stat()
}

// memory is a process's resident memory in KiB.
type memory struct {
	PeakKiB, NowKiB uint64 // VmHWM and VmRSS
}

// processMemory reads VmHWM and VmRSS from /proc/<pid>/status.
func processMemory(pid int) (memory, error) {
	fs, err := procFS()
	if err != nil {
		return memory{}, err
	}
	p, err := fs.Proc(pid)
	if err != nil {
		return memory{}, err
	}
	s, err := p.NewStatus()
	if err != nil {
		return memory{}, err
	}
	return memory{PeakKiB: s.VmHWM / 1024, NowKiB: s.VmRSS / 1024}, nil
}

// resetPeakRSS makes VmHWM start again from the current RSS, so each run
// reports its own peak rather than the process's since start. Writing 5 to
// clear_refs needs the same user as the process; when refused, VmHWM is
// the peak since start, which the README says. procfs only reads.
func resetPeakRSS(pid int) {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// treeTicks is the CPU of a PostgreSQL server, in clock ticks: the
// postmaster's own and its reaped children's, plus every live child's
// (the backends serving the run, the WAL writer, autovacuum). A backend
// that the postmaster reaps while its siblings are read would be in neither
// sum (or in both), as those of a pool closed just before a reading were:
// the reading is taken again until the postmaster reaped none meanwhile.
func treeTicks(root int) (uint64, error) {
	for range maxReadings {
		before, err := procStat(root)
		if err != nil {
			return 0, err
		}
		children, err := childTicks(root)
		if err != nil {
			return 0, err
		}
		after, err := procStat(root)
		if err != nil {
			return 0, err
		}
		if after.CUTime == before.CUTime && after.CSTime == before.CSTime {
			return ownAndReaped(after) + children, nil
		}
	}
	return 0, fmt.Errorf("the children of process %d kept exiting through %d readings", root, maxReadings)
}

// maxReadings bounds treeTicks's readings of a server whose children exit
// all the time.
const maxReadings = 100

// childTicks is the CPU of the live children of root and of the children
// they reaped.
func childTicks(root int) (uint64, error) {
	fs, err := procFS()
	if err != nil {
		return 0, err
	}
	procs, err := fs.AllProcs()
	if err != nil {
		return 0, err
	}
	var total uint64
	for _, p := range procs {
		if p.PID == root {
			continue
		}
		s, err := p.Stat()
		if err != nil {
			continue // gone since the listing
		}
		if s.PPID == root {
			total += ownAndReaped(s)
		}
	}
	return total, nil
}

// ownAndReaped is utime+stime+cutime+cstime: a process's CPU and that of
// its children it has waited for.
func ownAndReaped(s procfs.ProcStat) uint64 {
	return uint64(s.UTime+s.STime) + uint64(s.CUTime+s.CSTime)
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
