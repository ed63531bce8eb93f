package db

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// directoryTTL bounds how stale a cached organisation may be: the directory
// changes only when an organisation is onboarded (which refreshes it at
// once in this process) or a population figure is added.
const directoryTTL = 10 * time.Second

// directory keeps the organisations in memory. Every request reads its
// token's organisation and most answers name organisations, while the
// directory is small, not personal data and rarely changes: one query per
// TTL instead of one per request. The organisations it hands out are
// shared and must not be changed.
type directory struct {
	mu     sync.RWMutex
	byID   map[string]*exithub.Organisation
	byCode map[string]*exithub.Organisation
	loaded time.Time
	// failed is when the last reload failed, and why: callers that queued
	// behind it share its answer rather than each waiting out a stalled
	// database in turn.
	failed    time.Time
	failedErr error
	reload    sync.Mutex // one reload at a time; the others wait for its result
}

// lookupOrganisation returns the organisation with the given id or code (byCode), from
// memory when fresh; an unknown key reloads once before it is NOT_FOUND,
// so an organisation onboarded by another process is known at once.
func (d *DB) lookupOrganisation(ctx context.Context, key string, byCode bool) (*exithub.Organisation, error) {
	if !byCode && !isUUID(key) {
		return nil, exithub.ErrNotFound
	}
	if o, fresh := d.dir.get(key, byCode); o != nil && fresh {
		return o, nil
	}
	if err := d.reloadDirectory(ctx); err != nil {
		// The directory rarely changes: while the database is away a
		// known organisation is served as last read, so a token is still
		// recognised and only the work that needs the database fails.
		if o, _ := d.dir.get(key, byCode); o != nil {
			return o, nil
		}
		return nil, err
	}
	if o, _ := d.dir.get(key, byCode); o != nil {
		return o, nil
	}
	return nil, exithub.ErrNotFound
}

func (c *directory) get(key string, byCode bool) (*exithub.Organisation, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	m := c.byID
	if byCode {
		m = c.byCode
	}
	return m[key], time.Since(c.loaded) < directoryTTL
}

// reloadDirectory reads the whole directory as the login role, which may
// read it before anyone is known. Callers that queued behind a reload that
// finished meanwhile take its result instead of reading again.
func (d *DB) reloadDirectory(ctx context.Context) error {
	asked := time.Now()
	d.dir.reload.Lock()
	defer d.dir.reload.Unlock()
	d.dir.mu.RLock()
	done := d.dir.loaded.After(asked)
	failed, failedErr := d.dir.failed.After(asked), d.dir.failedErr
	d.dir.mu.RUnlock()
	if done {
		return nil
	}
	if failed {
		return failedErr
	}
	ctx, cancel := d.callCtx(ctx)
	defer cancel()
	rows, _ := d.pool.Query(ctx, "SELECT "+orgColumns+" FROM hub.organisations o ORDER BY o.id")
	orgs, err := pgx.CollectRows(rows, scanOrganisation)
	if err != nil {
		err = translate(err)
		d.dir.mu.Lock()
		d.dir.failed, d.dir.failedErr = time.Now(), err
		d.dir.mu.Unlock()
		return err
	}
	byID := make(map[string]*exithub.Organisation, len(orgs))
	byCode := make(map[string]*exithub.Organisation, len(orgs))
	for _, o := range orgs {
		byID[o.ID], byCode[o.Code] = o, o
	}
	d.dir.mu.Lock()
	d.dir.byID, d.dir.byCode, d.dir.loaded = byID, byCode, time.Now()
	d.dir.mu.Unlock()
	return nil
}

// forgetDirectory makes the next lookup read the directory again, after
// this process changed it.
func (d *DB) forgetDirectory() {
	d.dir.mu.Lock()
	d.dir.loaded = time.Time{}
	d.dir.mu.Unlock()
}
