package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// startTimeout bounds a start when the caller's context has no deadline.
const startTimeout = time.Minute

// Start starts the server unless it is already running, and returns once it
// accepts the superuser's connections.
func (c *Cluster) Start(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := withDefaultTimeout(ctx, startTimeout)
	defer cancel()
	if c.Running() {
		return c.waitReady(ctx, nil)
	}
	if c.daemon {
		return c.startDaemon(ctx)
	}
	return c.startChild(ctx)
}

// startDaemon starts the server through pg_ctl, which detaches it into its
// own session so that it keeps running after this process exits.
func (c *Cluster) startDaemon(ctx context.Context) error {
	if err := c.touchLog(); err != nil {
		return err
	}
	// pg_ctl passes -o through a shell; a port number needs no quoting.
	cmd := c.command(ctx, "pg_ctl", "start", "--silent", "--wait",
		"--timeout", strconv.Itoa(secondsLeft(ctx)),
		"-D", c.DataDir, "-l", c.LogFile, "-o", "-p "+strconv.Itoa(c.Port))
	if out, err := cmd.CombinedOutput(); err != nil {
		return withLog(fmt.Errorf("cluster: pg_ctl start: %w: %s", err, tail(out, 5)), c.LogFile)
	}
	return c.waitReady(ctx, nil)
}

// touchLog creates the log file for pg_ctl, whose shell opens it as the
// server's user, who may not write the directory it is in.
func (c *Cluster) touchLog() error {
	f, err := os.OpenFile(c.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	f.Close()
	return c.runAs.chown(c.LogFile)
}

// startChild runs the server as this process's child and waits until it is
// ready; a server that never gets ready is stopped rather than leaked.
func (c *Cluster) startChild(ctx context.Context) error {
	ch, err := c.spawn()
	if err != nil {
		return err
	}
	c.child = ch
	if err := c.waitReady(ctx, ch); err != nil {
		c.abandonChild()
		return err
	}
	return nil
}

// abandonChild ends a server that failed to get ready, killing it outright
// if it does not even obey an immediate shutdown.
func (c *Cluster) abandonChild() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if c.stopChild(ctx, "immediate") != nil {
		_ = c.child.cmd.Process.Kill() // fails only if it has exited already, which we wait for anyway
		<-c.child.exited
		c.child = nil
	}
}

// waitReady polls with real connections, which also proves that the
// superuser's credentials work. ch, when not nil, is the server process
// whose exit ends the wait early.
func (c *Cluster) waitReady(ctx context.Context, ch *child) error {
	var exited <-chan struct{}
	if ch != nil {
		exited = ch.exited
	}
	for {
		err := c.ping(ctx)
		if err == nil {
			return nil
		}
		if isAuthError(err) {
			return fmt.Errorf("cluster: the server refuses the superuser's password: %w", err)
		}
		select {
		case <-exited:
			return withLog(fmt.Errorf("cluster: server exited during startup: %v", ch.err), c.LogFile)
		case <-ctx.Done():
			return withLog(fmt.Errorf("cluster: server on port %d not ready: %w", c.Port, err), c.LogFile)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// isAuthError reports a rejected login, which retrying will not cure.
func isAuthError(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "28")
}

// withDefaultTimeout adds d to ctx unless ctx already has a deadline.
func withDefaultTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// secondsLeft converts ctx's deadline into pg_ctl's --timeout.
func secondsLeft(ctx context.Context) int {
	deadline, ok := ctx.Deadline()
	if !ok {
		return int(startTimeout.Seconds())
	}
	return max(1, int(time.Until(deadline).Seconds()))
}
