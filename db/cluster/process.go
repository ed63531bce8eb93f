package cluster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/prometheus/procfs"
)

// readPostmasterPid reads the pid and port from the lock file a running
// postmaster keeps in its data directory.
func readPostmasterPid(dataDir string) (pid, port int, err error) {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0, 0, err
	}
	// Line 1 is the pid and line 4 the port; see PostgreSQL's pidfile.h.
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0, 0, fmt.Errorf("cluster: short postmaster.pid in %s", dataDir)
	}
	pid, err = strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil {
		return 0, 0, fmt.Errorf("cluster: postmaster.pid in %s: %w", dataDir, err)
	}
	port, _ = strconv.Atoi(strings.TrimSpace(lines[3])) // 0, unknown, until the postmaster has written it
	return pid, port, nil
}

// processAlive reports whether a process with this pid exists. EPERM means
// it exists but belongs to another user, which still counts.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Processes returns the pids of the running server: the postmaster's
// first, then its children's (the backends and the background processes).
// Fault tests signal them all at once, as a machine that loses power would
// stop them.
func (c *Cluster) Processes() ([]int, error) {
	pm, _, err := readPostmasterPid(c.DataDir)
	if err != nil {
		return nil, err
	}
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		return nil, err
	}
	children, err := childStats(fs, pm)
	pids := []int{pm}
	for _, s := range children {
		pids = append(pids, s.PID)
	}
	return pids, err
}
