package db

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// deadlineMargin is how much longer than the statement timeout the hub
// waits for the database itself. The statement timeout is enforced by the
// backend, so a backend that is frozen (stopped, swapped out, its disk
// hung) enforces nothing: only a deadline on the hub's side ends the wait.
const deadlineMargin = time.Second

// connectTimeout bounds opening a connection: a postmaster that accepts TCP
// but never answers the startup packet must not hold a request.
const connectTimeout = 3 * time.Second

// diskFullWindow is how long after a write failed for want of disk space
// /readyz stays red, unless a write succeeds first.
const diskFullWindow = 30 * time.Second

// callCtx bounds one call to the database by the hub's own deadline, a
// little above the statement timeout so that a live backend's timeout
// (57014) answers first.
func (d *DB) callCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d.callTimeout)
}

// classify translates a database error and notes what /readyz must know:
// a write refused for want of disk space, or one that succeeded since.
func (d *DB) classify(err error) error {
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		d.diskFullAt.Store(0)
	case errors.As(err, &pgErr) && diskFull(pgErr):
		d.diskFullAt.Store(time.Now().UnixNano())
	}
	return translate(err)
}

// diskFullRecently reports a write refused for want of disk space within
// the window, with no successful write since.
func (d *DB) diskFullRecently() bool {
	at := d.diskFullAt.Load()
	return at != 0 && time.Since(time.Unix(0, at)) < diskFullWindow
}

// diskFullMark is the state classify keeps (unix nanoseconds; 0: none).
type diskFullMark = atomic.Int64
