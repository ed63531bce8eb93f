package cluster

import (
	"fmt"
	"time"

	"github.com/prometheus/procfs"
)

// clockTick is USER_HZ, the unit of the CPU times in /proc/<pid>/stat:
// Linux fixes it at 100 a second on every architecture Go supports, and
// reading it with sysconf would need cgo.
const clockTick = 10 * time.Millisecond

// CPUTime is the CPU the cluster's server has used so far: the
// postmaster's own and its reaped children's, and every live child's (the
// backends, the WAL writer, autovacuum). Benchmarks read it before and
// after a run for the database's CPU per request. It counts in clock ticks
// of 10 ms, so a figure needs thousands of requests to mean anything.
func (c *Cluster) CPUTime() (time.Duration, error) {
	pid, _, err := readPostmasterPid(c.DataDir)
	if err != nil {
		return 0, err
	}
	ticks, err := serverTicks(procfs.NewDefaultFS, pid)
	return time.Duration(ticks) * clockTick, err
}

// serverTicks is the CPU of the server whose postmaster is root, in clock
// ticks, from the /proc that open gives (tests give their own). A backend
// that the postmaster reaps while its siblings are read would be in neither
// sum (or in both), as those of a pool closed just before a reading were:
// the reading is taken again until the postmaster reaped none meanwhile.
func serverTicks(open func() (procfs.FS, error), root int) (uint64, error) {
	for range maxReadings {
		fs, err := open()
		if err != nil {
			return 0, err
		}
		before, err := procStat(fs, root)
		if err != nil {
			return 0, err
		}
		if fs, err = open(); err != nil {
			return 0, err
		}
		children, err := childTicks(fs, root)
		if err != nil {
			return 0, err
		}
		if fs, err = open(); err != nil {
			return 0, err
		}
		after, err := procStat(fs, root)
		if err != nil {
			return 0, err
		}
		if after.CUTime == before.CUTime && after.CSTime == before.CSTime {
			return ownAndReaped(after) + children, nil
		}
	}
	return 0, fmt.Errorf("cluster: the children of process %d kept exiting through %d readings", root, maxReadings)
}

// maxReadings bounds serverTicks's readings of a server whose children
// exit all the time.
const maxReadings = 100

func procStat(fs procfs.FS, pid int) (procfs.ProcStat, error) {
	p, err := fs.Proc(pid)
	if err != nil {
		return procfs.ProcStat{}, err
	}
	return p.Stat()
}

// childTicks is the CPU of the live children of root and of the children
// they reaped.
func childTicks(fs procfs.FS, root int) (uint64, error) {
	children, err := childStats(fs, root)
	var total uint64
	for _, s := range children {
		total += ownAndReaped(s)
	}
	return total, err
}

// childStats are the stat lines of the live children of root.
func childStats(fs procfs.FS, root int) ([]procfs.ProcStat, error) {
	procs, err := fs.AllProcs()
	if err != nil {
		return nil, err
	}
	var children []procfs.ProcStat
	for _, p := range procs {
		if p.PID == root {
			continue
		}
		s, err := p.Stat()
		if err != nil {
			continue // gone since the listing
		}
		if s.PPID == root {
			children = append(children, s)
		}
	}
	return children, nil
}

// ownAndReaped is utime+stime+cutime+cstime: a process's CPU and that of
// its children it has waited for.
func ownAndReaped(s procfs.ProcStat) uint64 {
	return uint64(s.UTime+s.STime) + uint64(s.CUTime+s.CSTime)
}
