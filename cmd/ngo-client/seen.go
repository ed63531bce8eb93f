package main

import (
	"fmt"
	"time"
)

// known is what watch has printed of a referral, or found in the inbox.
type known struct {
	// version is the referral's version then: every transition (and a
	// consent's withdrawal) raises it, a note does not.
	version int
	// notes is how many of its notes have been printed or were there.
	notes int
}

// handle prints an event unless it repeats a change already printed, and
// moves the mark along.
func (w *watcher) handle(kind ReferralChangeKind, r ReferralState) {
	w.cursor = advance(w.cursor, changeTimes(r))
	if w.cursor.After(w.mark) {
		w.mark = w.cursor
	}
	if w.fresh(kind, r) {
		fmt.Fprintln(w.out, eventLine(string(kind), r.ReferralLine))
	}
}

// fresh reports whether an event tells of a change not yet printed, and
// counts it as printed. An event carries the referral as it is when the hub
// sends it, not the change it reports, and the replay of a new subscription
// repeats what the old one may have delivered: a change of state is new when
// the version is, and a note is new while fewer notes have been printed than
// the referral has.
func (w *watcher) fresh(kind ReferralChangeKind, r ReferralState) bool {
	k := w.known[r.Id]
	if kind == ReferralChangeKindNoteAdded {
		if k.notes >= len(r.Notes) {
			return false
		}
		k.notes++
	} else {
		if r.Version <= k.version || overtaken(kind, r) {
			return false
		}
		k.version = r.Version
	}
	w.known[r.Id] = k
	return true
}

// overtaken reports whether the referral has already moved past the change
// the event reports, so the event of the change that moved it follows (live,
// or in the next replay) and tells of its state under the right kind: a
// referral created and cancelled while watch was away is printed once, as
// CANCELLED, not as a CREATED that shows CANCELLED.
func overtaken(kind ReferralChangeKind, r ReferralState) bool {
	switch kind {
	case ReferralChangeKindCreated:
		return r.Version > 1
	case ReferralChangeKindStatusChanged:
		return r.Status == ReferralStatusCancelled // CANCELLED has kinds of its own
	}
	return false
}

// advance moves a subscription's cursor (no later than the change of its
// last event) to the earliest of the referral's changes at or after it. The
// event reports one of them, and changes arrive oldest first (the replay by
// their time, from the subscription's since on, live ones as they commit),
// so none still to come is older than that. Not the referral's newest
// change: a replayed event may report an old one, and shows the newest.
func advance(cursor time.Time, times []time.Time) time.Time {
	var next time.Time
	for _, t := range times {
		if !t.Before(cursor) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if next.IsZero() {
		return cursor // the change left no trace in the history
	}
	return next
}

// changeTimes are the times of a referral's transitions and notes.
func changeTimes(r ReferralState) []time.Time {
	times := make([]time.Time, 0, len(r.History)+len(r.Notes))
	for _, h := range r.History {
		times = append(times, h.At)
	}
	for _, n := range r.Notes {
		times = append(times, n.At)
	}
	return times
}
