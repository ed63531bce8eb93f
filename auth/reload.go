package auth

import "time"

// refreshIfStale re-reads the keys when RefreshInterval has passed, so a
// retired key stops being trusted without a restart. A request that finds
// a reload under way goes on with the keys it has rather than wait.
func (v *Verifier) refreshIfStale() {
	if v.opts.RefreshInterval < 0 || v.age() < v.opts.RefreshInterval {
		return
	}
	if !v.reloadMu.TryLock() {
		return
	}
	defer v.reloadMu.Unlock()
	if v.age() >= v.opts.RefreshInterval {
		v.reload()
	}
}

// reloadForUnknownKID re-reads the keys because a token named a kid they
// lack: perhaps a key rotated in since. It does so at most once per
// minReloadGap, so made-up kids cannot keep the disk busy. The first time
// is never held back, so a rotation right after start is seen at once.
// Callers arriving during a reload wait for it and then use its result.
func (v *Verifier) reloadForUnknownKID() {
	v.reloadMu.Lock()
	defer v.reloadMu.Unlock()
	now := v.now()
	if !v.kidReloadAt.IsZero() && now.Sub(v.kidReloadAt) < minReloadGap {
		return
	}
	v.kidReloadAt = now
	v.reload()
}

// reload replaces the keys with what is on disk now. If the directory or
// JWKS file cannot be read, the keys stay as they were: a passing I/O error
// should not lock everyone out.
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
