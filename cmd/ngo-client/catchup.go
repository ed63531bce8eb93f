package main

import (
	"context"
	"fmt"
	"time"
)

// start reads the inbox before the first subscription: what it holds is
// there before watch, not news, except what --since asks to print; the
// subscription then replays from the newest change read.
func (w *watcher) start(ctx context.Context) error {
	return w.readInbox(ctx, func(r ReferralState) bool {
		return w.printSince != nil && !r.CreatedAt.Before(*w.printSince)
	})
}

// catchUp reads the inbox instead of a replay the hub refused (it replays
// only so many changes), and prints each referral that changed since it was
// last printed, as it is now.
func (w *watcher) catchUp(ctx context.Context) error {
	return w.readInbox(ctx, w.changed)
}

// readInbox reads every referral, prints those show picks, oldest first, as
// CATCH_UP lines, and knows all of them as they are from then on.
func (w *watcher) readInbox(ctx context.Context, show func(ReferralState) bool) error {
	began := time.Now()
	rows, err := readPages(0, func(n int, after *string) ([]ReferralState, PageCursor, error) {
		resp, err := WatchInbox(ctx, w.http, n, after)
		if err != nil {
			return nil, PageCursor{}, err
		}
		rows := make([]ReferralState, len(resp.Referrals.Edges))
		for i, edge := range resp.Referrals.Edges {
			rows[i] = edge.Node
		}
		return rows, resp.Referrals.PageInfo, nil
	})
	if err != nil {
		return err
	}
	var newest time.Time
	for i := len(rows) - 1; i >= 0; i-- {
		r := rows[i]
		if show(r) {
			fmt.Fprintln(w.out, eventLine(catchUpKind, r.ReferralLine))
		}
		w.known[r.Id] = known{version: r.Version, notes: len(r.Notes)}
		newest = latest(newest, changeTimes(r))
	}
	w.mark = time.Time{}
	if !newest.IsZero() {
		// A change the pages missed was made after the first page was read:
		// no earlier than the newest change they show, less the time the
		// reading took.
		w.mark = newest.Add(-time.Since(began))
	}
	w.started = true
	return nil
}

// changed reports whether the inbox shows a referral otherwise than it was
// last printed.
func (w *watcher) changed(r ReferralState) bool {
	k, ok := w.known[r.Id]
	return !ok || r.Version > k.version || len(r.Notes) > k.notes
}

// latest is the latest of t and times.
func latest(t time.Time, times []time.Time) time.Time {
	for _, u := range times {
		if u.After(t) {
			t = u
		}
	}
	return t
}
