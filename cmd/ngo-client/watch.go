package main

import (
	"context"
	"io"
	"time"

	"github.com/Khan/genqlient/graphql"
)

// replayMargin is how far before the changes already heard of a new
// subscription asks the hub to replay. A change's time is when its
// transaction began, so one that began before a change already delivered
// may commit, and be delivered, after it; what the margin replays twice is
// told apart by the referral's version and notes (see fresh).
const replayMargin = time.Minute

// replayFloor is the earliest moment the hub accepts: the since of a watch
// whose inbox was empty, which then replays whatever appeared since.
var replayFloor = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// catchUpKind marks a line printed from the inbox rather than from an event.
const catchUpKind = "CATCH_UP"

// watchConfig is how watch retries and when it gives a connection up.
type watchConfig struct {
	retryMin, retryMax time.Duration
	// idle is the longest silence watch takes from a connection before it
	// takes it for dead: the hub pings every 15 s, and a connection that
	// died without either side noticing would otherwise never be replaced.
	idle time.Duration
}

// runWatch follows referralEvents and prints one line per change.
func runWatch(ctx context.Context, e *env, args []string) error {
	fs := e.flags("watch")
	cfg := watchConfig{}
	since := fs.String("since", "", "also print the referrals created since this RFC 3339 moment, as they are now (default: only what happens from now on)")
	fs.DurationVar(&cfg.retryMin, "retry-min", 100*time.Millisecond, "first wait before reconnecting")
	fs.DurationVar(&cfg.retryMax, "retry-max", 5*time.Second, "longest wait before reconnecting (unless the hub's Retry-After asks for more)")
	fs.DurationVar(&cfg.idle, "idle", 45*time.Second, "how long a connection may stay silent (the hub pings every 15s) before watch replaces it")
	if _, err := parseN(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	w, err := newWatcher(e, cfg, *since)
	if err != nil {
		return err
	}
	c, done := e.client()
	defer done()
	w.http = c
	return w.run(ctx)
}

// watcher follows referralEvents. It reads the whole inbox once, before its
// first subscription, and from then on learns of changes only through
// events: every subscription asks the hub to replay what its history
// records since shortly before the changes already heard of, so a change
// made while watch was disconnected, to any referral, arrives all the same.
type watcher struct {
	cfg        watchConfig
	out, log   io.Writer
	http       graphql.Client
	hints      *retryHints // the Retry-After of the hub's last answer
	url, token string
	// known is what has been printed (or was there when watch started)
	// of each referral, by id.
	known map[string]known
	// mark is no later than any change not yet heard of, less the skew
	// replayMargin allows; zero before anything was heard.
	mark time.Time
	// cursor is no later than the change of the current subscription's
	// last event; it starts at the subscription's since.
	cursor time.Time
	// margin is how far before mark the next replay starts: replayMargin,
	// but none right after a replay was refused (see catchUpInstead).
	margin time.Duration
	// printSince is --since: the referrals created since are printed
	// from the inbox when watch starts; nil prints none.
	printSince *time.Time
	// started is whether the inbox has been read.
	started bool
}

func newWatcher(e *env, cfg watchConfig, since string) (*watcher, error) {
	if cfg.retryMin <= 0 || cfg.retryMax < cfg.retryMin || cfg.idle <= 0 {
		return nil, usagef("watch: want 0 < --retry-min <= --retry-max and --idle > 0")
	}
	if err := e.opts.check(); err != nil {
		return nil, err
	}
	w := &watcher{cfg: cfg, out: e.stdout, log: e.stderr, url: e.opts.websocketURL(), token: e.opts.token,
		hints: e.hints, known: map[string]known{}, margin: replayMargin}
	if since != "" {
		t, err := time.Parse(time.RFC3339Nano, since)
		if err != nil {
			return nil, usagef("watch: --since %q is not an RFC 3339 moment", since)
		}
		w.printSince = &t
	}
	return w, nil
}

// since is where the next subscription's replay starts.
func (w *watcher) since() *time.Time {
	t := replayFloor
	if !w.mark.IsZero() {
		t = w.mark.Add(-w.margin)
	}
	return &t
}

// dialer opens the WebSocket of a subscription.
func (w *watcher) dialer() wsDialer {
	return wsDialer{ackTimeout: ackTimeout, idle: w.cfg.idle, hints: w.hints}
}
