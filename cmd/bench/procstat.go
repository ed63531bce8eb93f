package main

import (
	"fmt"
	"os"

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
// clear_refs needs the same user as the process; when refused, VmHWM says
// nothing of the run. procfs only reads.
func resetPeakRSS(pid int) error {
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
		return fmt.Errorf("reset the peak RSS of %d: %w", pid, err)
	}
	return nil
}
