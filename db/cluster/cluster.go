package cluster

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// Cluster is one PostgreSQL cluster on local disk, reachable over TCP on
// 127.0.0.1 only. Get one from EnsureDev, OpenDev or StartTemp; the methods
// may be called from several goroutines.
type Cluster struct {
	// DataDir is the cluster's data directory (PGDATA).
	DataDir string
	// Port is the TCP port the server listens on at 127.0.0.1.
	Port int
	// User is the superuser's name.
	User string
	// Password is the superuser's password.
	Password string
	// LogFile receives the server's log.
	LogFile string

	bin    string   // directory holding initdb, pg_ctl and postgres
	runAs  *account // the OS user PostgreSQL runs as; nil means this process's
	daemon bool     // started by pg_ctl so that it outlives this process
	owned  []string // paths Remove deletes

	mu    sync.Mutex // serializes Start and Stop
	child *child     // the server when it runs as this process's child
}

// URL returns the superuser's connection URL for database dbname.
func (c *Cluster) URL(dbname string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(c.User, c.Password),
		Host:     "127.0.0.1:" + strconv.Itoa(c.Port),
		Path:     "/" + dbname,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Running reports whether the cluster's postmaster is alive, judged by the
// pid in its lock file, so it also sees servers started by other processes.
func (c *Cluster) Running() bool {
	pid, _, err := readPostmasterPid(c.DataDir)
	return err == nil && processAlive(pid)
}

// Remove stops the cluster at once and deletes its files. The data is gone
// afterwards; use it for throwaway clusters or a deliberate reset.
func (c *Cluster) Remove() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := c.Stop(ctx, "immediate")
	for _, p := range c.owned {
		err = errors.Join(err, os.RemoveAll(p))
	}
	if err != nil {
		return fmt.Errorf("cluster: remove %s: %w", c.DataDir, err)
	}
	return nil
}

// command prepares one of the PostgreSQL programs to run as the cluster's
// OS user.
func (c *Cluster) command(ctx context.Context, program string, args ...string) *exec.Cmd {
	return c.runAs.command(ctx, c.bin+"/"+program, args...)
}
