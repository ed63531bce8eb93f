package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// watching is `ngo-client watch` running in-process.
type watching struct {
	out, log *syncBuffer
	cancel   context.CancelFunc
	done     chan struct{} // closed when run has returned
	err      error         // what run returned
	wantErr  bool          // the test expects run to fail
}

func startWatch(t *testing.T, endpoint, token string, flags ...string) *watching {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := &watching{out: &syncBuffer{}, log: &syncBuffer{}, cancel: cancel, done: make(chan struct{})}
	args := append([]string{"watch", "--endpoint", endpoint, "--token", token}, flags...)
	go func() { w.err = run(ctx, args, w.out, w.log); close(w.done) }()
	t.Cleanup(func() {
		w.cancel() // as Ctrl-C would
		select {
		case <-w.done:
			if w.err != nil && !w.wantErr {
				t.Errorf("watch ended with %v", w.err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("watch did not stop when interrupted")
		}
		if t.Failed() {
			t.Logf("watch stdout:\n%s\nwatch stderr:\n%s", w.out, w.log)
		}
	})
	return w
}

// ended reports whether run has returned.
func (w *watching) ended() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// waitFor polls until cond holds, or fails the test after the deadline.
func waitFor(t *testing.T, deadline time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > deadline {
			t.Fatalf("no %s within %v", what, deadline)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// awaitLiveEvent makes referrals until one reaches watch as an event and
// returns it: then a subscription is in place. It waits for watch to connect
// first: a referral made before watch read its inbox is no news, and is not
// printed. (Every referral made after arrives as a CREATED event, live or
// replayed, so the first one does; a CATCH_UP line would mean the inbox was
// read again.)
func awaitLiveEvent(t *testing.T, w *watching, h *hub, citizen string) string {
	t.Helper()
	waitFor(t, 20*time.Second, "connection", func() bool { return strings.Contains(w.log.String(), "connected") })
	var probe string
	waitFor(t, 20*time.Second, "a live event", func() bool {
		if probe != "" {
			got := lines(w.out, probe)
			if len(got) == 0 {
				return false // not printed yet, either way
			}
			if strings.HasPrefix(got[0], "CREATED ") {
				return true
			}
		}
		probe = h.refer(citizen)
		return false
	})
	return probe
}

// lines returns the output lines that mention a referral.
func lines(out *syncBuffer, id string) []string {
	var found []string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, " "+id+" ") {
			found = append(found, l)
		}
	}
	return found
}

func TestWatchLosesNoReferralToADroppedConnection(t *testing.T) {
	h := startHub(t)
	px := startProxy(t, h.addr)
	citizen := h.citizen()
	w := startWatch(t, "http://"+px.addr()+"/graphql", h.token("reden", "ngo_worker"),
		"--retry-min", "50ms", "--retry-max", "500ms")
	waitFor(t, 20*time.Second, "connection", func() bool { return strings.Contains(w.log.String(), "connected") })
	if out := w.out.String(); out != "" {
		t.Fatalf("watch printed what was in the inbox before it started:\n%s", out)
	}
	live := awaitLiveEvent(t, w, h, citizen)
	if got := lines(w.out, live)[0]; !strings.HasPrefix(got, "CREATED "+live+" REQUESTED v1 from=101 needs=HOUSING ") {
		t.Fatalf("the live event reads %q", got)
	}

	px.cut()
	waitFor(t, 10*time.Second, "disconnection", func() bool { return strings.Contains(w.log.String(), "disconnected") })
	// Made while watch has no connection: it can only come from the next
	// subscription's replay.
	missed := h.refer(citizen)
	px.restore()
	took := waitFor(t, 15*time.Second, "the replay after reconnecting", func() bool { return len(lines(w.out, missed)) > 0 })
	t.Logf("the referral created while disconnected was printed %v after the network came back", took)
	if got := lines(w.out, missed)[0]; !strings.HasPrefix(got, "CREATED "+missed+" REQUESTED v1 ") {
		t.Fatalf("the missed referral reads %q", got)
	}

	again := h.refer(citizen) // the new subscription carries events
	waitFor(t, 10*time.Second, "event after reconnecting", func() bool { return len(lines(w.out, again)) > 0 })
	for _, id := range []string{live, missed, again} {
		if got := lines(w.out, id); len(got) != 1 {
			t.Errorf("referral %s printed %d times: %q", id, len(got), got)
		}
	}
}

func TestWatchSinceReplaysTheInboxOldestFirst(t *testing.T) {
	h := startHub(t)
	since := "2014-06-01T00:00:00Z"
	want := directInbox(h, 100, map[string]any{"since": since})
	if len(want) < 2 {
		t.Fatalf("the demo has %d referrals to Reden since %s; the test needs some", len(want), since)
	}
	slices.Reverse(want)
	w := startWatch(t, h.endpoint(), h.token("reden", "ngo_worker"), "--since", since)
	waitFor(t, 20*time.Second, "connection", func() bool { return strings.Contains(w.log.String(), "connected") })
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(w.out.String()), "\n") {
		f := strings.Fields(l) // CATCH_UP id status vN from=code ...
		if len(f) < 5 || f[0] != catchUpKind {
			t.Fatalf("unexpected line %q", l)
		}
		got = append(got, fmt.Sprintf("%s %s %s %s", f[1], f[2], strings.TrimPrefix(f[3], "v"), strings.TrimPrefix(f[4], "from=")))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("watch --since printed\n%s\nthe inbox since then is, oldest first,\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The review's case: a referral sent an hour before watch started, so no
// read of the inbox by the time of sending finds it, is cancelled while
// watch is cut off. The replay of the next subscription brings the
// cancellation, printed once, as what it is.
func TestWatchPrintsAChangeOfAnOldReferralMadeWhileDisconnected(t *testing.T) {
	h := startHub(t)
	px := startProxy(t, h.addr)
	citizen := h.citizen()
	old := h.refer(citizen)
	h.backdate(old, time.Hour)
	w := startWatch(t, "http://"+px.addr()+"/graphql", h.token("reden", "ngo_worker"),
		"--retry-min", "50ms", "--retry-max", "500ms")
	live := awaitLiveEvent(t, w, h, citizen)

	px.cut()
	waitFor(t, 10*time.Second, "disconnection", func() bool { return strings.Contains(w.log.String(), "disconnected") })
	h.cancel(old)
	px.restore()
	waitFor(t, 15*time.Second, "the cancellation replayed", func() bool { return len(lines(w.out, old)) > 0 })
	// Anything the replay repeated comes before an event made after it.
	again := h.refer(citizen)
	waitFor(t, 10*time.Second, "an event after the replay", func() bool { return len(lines(w.out, again)) > 0 })
	got := lines(w.out, old)
	if len(got) != 1 || !strings.HasPrefix(got[0], "CANCELLED "+old+" CANCELLED v2 from=101 ") {
		t.Fatalf("the old referral's lines are %q, want one CANCELLED v2", got)
	}
	// The replay reached back before the live event too, which it repeated.
	if got := lines(w.out, live); len(got) != 1 {
		t.Fatalf("the referral heard of live was printed %d times: %q", len(got), got)
	}
}

// A connection that stops carrying anything without closing (the proxy
// goes on accepting its bytes and drops them) is replaced once it has been
// silent for --idle, and the new subscription's replay brings what the
// silent one swallowed.
func TestWatchReplacesAConnectionThatFellSilent(t *testing.T) {
	h := startHub(t)
	px := startProxy(t, h.addr)
	citizen := h.citizen()
	old := h.refer(citizen)
	w := startWatch(t, "http://"+px.addr()+"/graphql", h.token("reden", "ngo_worker"),
		"--retry-min", "50ms", "--retry-max", "500ms", "--idle", "2s")
	awaitLiveEvent(t, w, h, citizen)

	px.freeze()
	h.cancel(old)
	waitFor(t, 20*time.Second, "the cancellation, through a new connection", func() bool { return len(lines(w.out, old)) > 0 })
	if !strings.Contains(w.log.String(), "i/o timeout") {
		t.Fatalf("watch did not say it gave up a silent connection:\n%s", w.log)
	}
	if got := lines(w.out, old); len(got) != 1 || !strings.HasPrefix(got[0], "CANCELLED "+old+" CANCELLED v2 ") {
		t.Fatalf("the cancelled referral's lines are %q", got)
	}
}

// The hub replays at most 10,000 changes and refuses a since further back
// (BAD_USER_INPUT on since); watch then reads its inbox, prints what
// changed as CATCH_UP, and follows on from there.
func TestWatchCatchesUpThroughTheInboxWhenTheHubWillNotReplay(t *testing.T) {
	h := startHub(t)
	px := startProxy(t, h.addr)
	citizen := h.citizen()
	old := h.refer(citizen)
	h.backdate(old, time.Hour)
	w := startWatch(t, "http://"+px.addr()+"/graphql", h.token("reden", "ngo_worker"),
		"--retry-min", "50ms", "--retry-max", "500ms")
	awaitLiveEvent(t, w, h, citizen)

	px.cut()
	waitFor(t, 10*time.Second, "disconnection", func() bool { return strings.Contains(w.log.String(), "disconnected") })
	// Half a minute ago: inside what the next replay asks for, but not
	// the newest news once the cancellation below is.
	h.addNotes(old, 10001, 30*time.Second)
	h.cancel(old)
	px.restore()
	// The catch-up is printed before watch logs why it made one.
	waitFor(t, 20*time.Second, "the catch-up", func() bool {
		return len(lines(w.out, old)) > 0 &&
			strings.Contains(w.log.String(), "caught up through the inbox, since the hub would not replay: BAD_USER_INPUT")
	})
	again := h.refer(citizen)
	waitFor(t, 20*time.Second, "an event after the catch-up", func() bool { return len(lines(w.out, again)) > 0 })
	if got := lines(w.out, old); len(got) != 1 || !strings.HasPrefix(got[0], catchUpKind+" "+old+" CANCELLED v2 ") {
		t.Fatalf("the cancelled referral's lines are %q", got)
	}
	if got := lines(w.out, again); !strings.HasPrefix(got[0], "CREATED ") {
		t.Fatalf("after the catch-up, a new referral reads %q", got)
	}
}
