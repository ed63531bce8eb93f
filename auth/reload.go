package auth

import "time"

// refreshIfStale re-reads the keys when RefreshInterval has passed, so a
// retired key stops being trusted without a restart. A request that finds
// a reload under way goes on with the keys it has rather than wait.
func (v *Verifier) refreshIfStale() {
	if v.opts.RefreshInterval < 0 || v.age() < v.opts.RefreshInterval {
		return
	}
	v.reloadIfOlder(v.opts.RefreshInterval, false)
}

// reloadIfOlder re-reads the keys if they were read gap or longer ago. If
// wait, it waits for a reload under way and then judges again (usually
// finding the keys fresh); otherwise it leaves that reload alone.
func (v *Verifier) reloadIfOlder(gap time.Duration, wait bool) {
	if wait {
		v.reloadMu.Lock()
	} else if !v.reloadMu.TryLock() {
		return
	}
	defer v.reloadMu.Unlock()
	if v.age() < gap {
		return
	}
	v.reload()
}

// reload replaces the keys with what is on disk now. If the directory or
// JWKS file cannot be read, the keys stay as they were: a passing I/O error
// should not lock everyone out. Either way the attempt counts for pacing.
func (v *Verifier) reload() {
	set, err := v.load(false)
	now := v.now()
	v.mu.Lock()
	defer v.mu.Unlock()
	if err == nil {
		v.keys = set
	}
	v.loadedAt = now
}

// age is how long ago the keys were last read.
func (v *Verifier) age() time.Duration {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.now().Sub(v.loadedAt)
}
