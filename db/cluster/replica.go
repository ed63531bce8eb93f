package cluster

import (
	"context"
	"fmt"
)

// StartReplica makes a throwaway streaming replica of c with pg_basebackup
// -R (which writes standby.signal and the connection to c) and starts it
// on a free port, as this process's child. c must be running; its default
// pg_hba.conf lets replication connect over 127.0.0.1. Its directory is made
// under dir, as StartTemp's under TempOptions.Dir. Call Remove on the
// replica when done.
func (c *Cluster) StartReplica(ctx context.Context, dir string) (*Cluster, error) {
	r, err := newTemp(ctx, dir)
	if err != nil {
		return nil, err
	}
	r.User, r.Password = c.User, c.Password
	cmd := r.command(ctx, "pg_basebackup", "-D", r.DataDir, "-R", "-X", "stream", "--no-sync", "-d", c.URL("postgres"))
	// On failure the error to report is the start's; files Remove leaves
	// behind are stale once this process is gone, for RemoveStale.
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = r.Remove()
		return nil, fmt.Errorf("cluster: pg_basebackup: %w\n%s", err, tail(out, 20))
	}
	if err := r.startOnFreePort(ctx); err != nil {
		_ = r.Remove()
		return nil, err
	}
	return r, nil
}
