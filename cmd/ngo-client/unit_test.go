package main

import (
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

func TestFlagsMayFollowPositionalArguments(t *testing.T) {
	cases := []struct {
		args, pos []string
		reason    string
	}{
		{[]string{"ID", "--reason", "full"}, []string{"ID"}, "full"},
		{[]string{"--reason", "full", "ID", "more"}, []string{"ID", "more"}, "full"},
		{[]string{"ID", "--", "--reason", "x"}, []string{"ID", "--reason", "x"}, ""},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		reason := fs.String("reason", "", "")
		pos, err := parse(fs, c.args)
		if err != nil || !slices.Equal(pos, c.pos) || *reason != c.reason {
			t.Errorf("%q: got %q, reason %q, %v", c.args, pos, *reason, err)
		}
	}
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	b := backoff{min: 100 * time.Millisecond, max: 5 * time.Second}
	want := []time.Duration{100, 200, 400, 800, 1600, 3200, 5000, 5000}
	for i, w := range want {
		w *= time.Millisecond
		if d := b.next(); d < w/2 || d > w {
			t.Fatalf("wait %d is %v, want between %v and %v", i, d, w/2, w)
		}
	}
	b.reset()
	if d := b.next(); d > 100*time.Millisecond {
		t.Fatalf("after reset the wait is %v", d)
	}
}

func TestServerErrorsAreDescribedByTheirCode(t *testing.T) {
	conflict := gqlerror.List{{Message: "a referral that is REQUESTED cannot be accepted",
		Extensions: map[string]any{"code": "CONFLICT"}}}
	unauth := &graphql.HTTPError{StatusCode: 401, Response: graphql.Response{Errors: gqlerror.List{{Message: "no token",
		Extensions: map[string]any{"code": "UNAUTHENTICATED", "requestId": "r1"}}}}}
	cases := []struct {
		err   error
		want  string
		final bool
	}{
		{conflict, "CONFLICT: a referral that is REQUESTED cannot be accepted", true},
		{unauth, "HTTP 401: UNAUTHENTICATED: no token [requestId=r1]", true},
	}
	for _, c := range cases {
		if got := describe(c.err); got != c.want || final(c.err) != c.final {
			t.Errorf("got %q (final %v), want %q (final %v)", got, final(c.err), c.want, c.final)
		}
	}
}

func TestAnErrorMessageReachesGenqlientAsAResultWithErrors(t *testing.T) {
	out, pass, err := (&wsConn{}).translate([]byte(`{"type":"error","id":"1","payload":[{"message":"no","extensions":{"code":"FORBIDDEN"}}]}`))
	if err != nil || !pass || !strings.Contains(string(out), `"type":"next"`) || !strings.Contains(string(out), `"payload":{"errors":[{"message":"no"`) {
		t.Fatalf("got %s, %v, %v", out, pass, err)
	}
}

// event is a referralEvents event for the dedup tests: the referral as it
// is when sent, with its number of notes.
func event(id string, status ReferralStatus, version, notes int) ReferralState {
	return ReferralState{ReferralLine: ReferralLine{Id: id, Status: status, Version: version},
		Notes: make([]ReferralStateNotesReferralNote, notes)}
}

// Each change is printed once, under the kind of the change that made the
// state shown, however often a replay repeats its event.
func TestEachChangeIsPrintedOnce(t *testing.T) {
	var out strings.Builder
	w := &watcher{out: &out, known: map[string]known{"X": {version: 1}}}
	// X, known at v1, was received and cancelled, and got a note, while
	// watch was away; the replay brings every event of its history, each
	// with X as it is now; then a repeat of all of it, across a seam.
	past := []struct {
		kind ReferralChangeKind
		r    ReferralState
	}{
		{ReferralChangeKindCreated, event("X", ReferralStatusCancelled, 3, 1)},
		{ReferralChangeKindStatusChanged, event("X", ReferralStatusCancelled, 3, 1)},
		{ReferralChangeKindCancelled, event("X", ReferralStatusCancelled, 3, 1)},
		{ReferralChangeKindNoteAdded, event("X", ReferralStatusCancelled, 3, 1)},
	}
	for range 2 {
		for _, e := range past {
			w.handle(e.kind, e.r)
		}
	}
	// Y is new: created, then two notes in quick succession, both of
	// whose events show both notes; then the last one again.
	w.handle(ReferralChangeKindCreated, event("Y", ReferralStatusRequested, 1, 0))
	for range 3 {
		w.handle(ReferralChangeKindNoteAdded, event("Y", ReferralStatusRequested, 1, 2))
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		got = append(got, strings.Join(strings.Fields(l)[:4], " "))
	}
	want := []string{
		"CANCELLED X CANCELLED v3", "NOTE_ADDED X CANCELLED v3",
		"CREATED Y REQUESTED v1", "NOTE_ADDED Y REQUESTED v1", "NOTE_ADDED Y REQUESTED v1",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("printed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The mark never passes a change still to come. A replayed event reports an
// old change but shows the referral's newest one; were the mark moved to
// that, a connection lost in mid-replay would skip the changes between.
func TestTheMarkStaysBeforeTheChangesStillToCome(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 12, 1, 12, m, 0, 0, time.UTC) }
	history := func(id string, ms ...int) ReferralState {
		r := event(id, ReferralStatusAccepted, len(ms), 0)
		for _, m := range ms {
			r.History = append(r.History, ReferralStateHistoryReferralTransition{At: at(m)})
		}
		return r
	}
	// A subscription replaying from 12:00 first hears of X, created at
	// 12:01 and accepted at 12:09: the event is X's creation, and Y's,
	// created at 12:05, is still to come.
	w := &watcher{out: io.Discard, known: map[string]known{}, cursor: at(0)}
	w.handle(ReferralChangeKindCreated, history("X", 1, 9))
	if !w.mark.Equal(at(1)) {
		t.Fatalf("after the replay of a change at 12:01, the mark is %v", w.mark.Format("15:04"))
	}
	w.handle(ReferralChangeKindCreated, history("Y", 5))
	if !w.mark.Equal(at(5)) {
		t.Fatalf("after the replay of a change at 12:05, the mark is %v", w.mark.Format("15:04"))
	}
	// A change that left no trace in the history (a consent withdrawn
	// from a closed referral) moves nothing.
	w.handle(ReferralChangeKindConsentWithdrawn, history("Z", 2))
	if !w.mark.Equal(at(5)) {
		t.Fatalf("an event without a trace moved the mark to %v", w.mark.Format("15:04"))
	}
}
