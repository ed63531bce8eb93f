package main

import (
	"context"
	"io"
	"time"

	"github.com/Khan/genqlient/graphql"
)

// catchUpMargin is how far before the newest referral seen a catch-up reads
// the inbox again. A referral's createdAt is when its transaction began, so
// one that began earlier may commit (and become visible) after a newer one
// was printed; what the margin reads twice is deduplicated.
const catchUpMargin = time.Minute

// catchUpKind marks a line printed from the inbox rather than from an event.
const catchUpKind = "CATCH_UP"

// watchConfig is how watch retries and catches up.
type watchConfig struct {
	retryMin, retryMax time.Duration
	// settle is how long after connecting the inbox is read a second time:
	// the server does not confirm that a subscription is in place, so a
	// referral created while it is being set up might otherwise fall
	// between the first catch-up and the first event.
	settle time.Duration
	// resync is how often the inbox is read while connected, which also
	// covers a connection that died without either side noticing.
	resync time.Duration
}

// runWatch follows referralEvents and prints one line per event.
func runWatch(ctx context.Context, e *env, args []string) error {
	fs := e.flags("watch")
	cfg := watchConfig{settle: time.Second}
	since := fs.String("since", "", "also print referrals created since this RFC 3339 moment (default: only what happens from now on)")
	fs.DurationVar(&cfg.retryMin, "retry-min", 100*time.Millisecond, "first wait before reconnecting")
	fs.DurationVar(&cfg.retryMax, "retry-max", 5*time.Second, "longest wait before reconnecting")
	fs.DurationVar(&cfg.resync, "resync", time.Minute, "how often to read the inbox while connected")
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

// watcher follows referralEvents and, after every (re)connection, reads the
// inbox for what it may have missed, so that no referral is lost to a
// dropped connection.
type watcher struct {
	cfg        watchConfig
	out, log   io.Writer
	http       graphql.Client
	hints      *retryHints // the Retry-After of the hub's last answer
	url, token string
	// seen holds the states printed, as id + " " + status.
	seen map[string]bool
	// since is where the next catch-up starts; zero: the whole inbox.
	since time.Time
	// started is whether what was in the inbox when watch started has
	// been marked as seen (or --since given instead).
	started bool
}

func newWatcher(e *env, cfg watchConfig, since string) (*watcher, error) {
	if cfg.retryMin <= 0 || cfg.retryMax < cfg.retryMin || cfg.resync <= 0 {
		return nil, usagef("watch: want 0 < --retry-min <= --retry-max and --resync > 0")
	}
	if err := e.opts.check(); err != nil {
		return nil, err
	}
	w := &watcher{cfg: cfg, out: e.stdout, log: e.stderr, url: e.opts.websocketURL(), token: e.opts.token,
		hints: e.hints, seen: map[string]bool{}}
	if since != "" {
		t, err := time.Parse(time.RFC3339Nano, since)
		if err != nil {
			return nil, usagef("watch: --since %q is not an RFC 3339 moment", since)
		}
		w.since, w.started = t, true
	}
	return w, nil
}
