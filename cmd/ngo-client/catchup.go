package main

import (
	"context"
	"fmt"
)

// markExisting marks what the inbox holds when watch starts as seen, without
// printing it: watch prints what happens from now on. The newest referral's
// createdAt, by the server's clock, is where catching up starts.
func (w *watcher) markExisting(ctx context.Context) error {
	newest, err := listInbox(ctx, w.http, &ReferralFilter{}, 1)
	if err != nil {
		return err
	}
	if len(newest) > 0 {
		since := newest[0].CreatedAt.Add(-catchUpMargin)
		rows, err := listInbox(ctx, w.http, &ReferralFilter{Since: &since}, 0)
		if err != nil {
			return err
		}
		for _, r := range rows {
			w.remember(r)
		}
	}
	w.started = true
	return nil
}

// catchUp prints what the inbox holds that watch has not printed: every
// referral created since shortly before the newest one seen, in its current
// state, oldest first.
func (w *watcher) catchUp(ctx context.Context) error {
	filter := &ReferralFilter{}
	if !w.since.IsZero() {
		since := w.since
		filter.Since = &since
	}
	rows, err := listInbox(ctx, w.http, filter, 0)
	if err != nil {
		return err
	}
	for i := len(rows) - 1; i >= 0; i-- {
		w.print(catchUpKind, rows[i])
	}
	return nil
}

// print writes a referral's line unless its state was printed before. A
// note is no new state, and no catch-up repeats it: it is always printed.
func (w *watcher) print(kind string, r ReferralLine) {
	if w.remember(r) || kind == string(ReferralChangeKindNoteAdded) {
		fmt.Fprintln(w.out, eventLine(kind, r))
	}
}

// remember marks a referral's state as seen and moves the next catch-up's
// start along; it reports whether the state is new.
func (w *watcher) remember(r ReferralLine) bool {
	if t := r.CreatedAt.Add(-catchUpMargin); t.After(w.since) {
		w.since = t
	}
	key := r.Id + " " + string(r.Status)
	if w.seen[key] {
		return false
	}
	w.seen[key] = true
	return true
}
