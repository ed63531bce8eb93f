package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// stopTimeout bounds a stop when the caller's context has no deadline.
const stopTimeout = time.Minute

// stopSignals maps PostgreSQL's shutdown modes to the postmaster signals
// that request them.
var stopSignals = map[string]syscall.Signal{
	"smart":     syscall.SIGTERM,
	"fast":      syscall.SIGINT,
	"immediate": syscall.SIGQUIT,
}

// Stop shuts the server down and waits until it has exited. mode is "fast"
// (roll back sessions, checkpoint) or "immediate" (quit at once, like a
// crash: the next Start runs crash recovery); "smart" is also accepted.
// Stopping a stopped cluster is not an error.
func (c *Cluster) Stop(ctx context.Context, mode string) error {
	if _, ok := stopSignals[mode]; !ok {
		return fmt.Errorf("cluster: unknown stop mode %q", mode)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := withDefaultTimeout(ctx, stopTimeout)
	defer cancel()
	if c.child != nil {
		return c.stopChild(ctx, mode)
	}
	if !c.Running() {
		return nil
	}
	cmd := c.command(ctx, "pg_ctl", "stop", "--silent", "--wait",
		"--timeout", fmt.Sprint(secondsLeft(ctx)), "-D", c.DataDir, "-m", mode)
	if out, err := cmd.CombinedOutput(); err != nil && c.Running() {
		return fmt.Errorf("cluster: pg_ctl stop: %w: %s", err, tail(out, 5))
	}
	return nil
}

// stopChild signals our own server process and waits until it is reaped.
func (c *Cluster) stopChild(ctx context.Context, mode string) error {
	ch := c.child
	select {
	case <-ch.exited:
	default:
		err := ch.cmd.Process.Signal(stopSignals[mode])
		if err != nil && !errors.Is(err, os.ErrProcessDone) {
			return fmt.Errorf("cluster: signal postgres: %w", err)
		}
		select {
		case <-ch.exited:
		case <-ctx.Done():
			return fmt.Errorf("cluster: postgres did not stop: %w", ctx.Err())
		}
	}
	c.child = nil
	return nil
}
