package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// run connects again and again, waiting longer after each failure, until
// ctx ends or retrying cannot help.
func (w *watcher) run(ctx context.Context) error {
	b := backoff{min: w.cfg.retryMin, max: w.cfg.retryMax}
	for {
		began := time.Now()
		connected, err := w.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		// Taken before hopeless asks the hub anything more, whose answer
		// would replace the hint of the answer that failed.
		hint := w.hints.take()
		if fatal := w.hopeless(ctx, err); fatal != nil {
			return fatal
		}
		// Only a connection that held for a while resets the wait, so a
		// server that drops every connection at once is not hammered.
		if connected && time.Since(began) > w.cfg.retryMax {
			b.reset()
		}
		d := max(b.next(), hint)
		fmt.Fprintf(w.log, "ngo-client: disconnected: %s; reconnecting in %v\n", describe(err), d.Round(time.Millisecond))
		if !sleep(ctx, d) {
			return nil
		}
	}
}

// session is one connection: subscribe, replaying what may have been
// missed, then print events until the connection fails. connected tells
// whether it got that far.
func (w *watcher) session(ctx context.Context) (connected bool, err error) {
	if !w.started {
		if err := w.start(ctx); err != nil {
			return false, err
		}
	}
	since := w.since()
	sub, err := subscribe(ctx, w.url, w.token, since, w.dialer())
	if err != nil {
		return false, connectError{err}
	}
	defer sub.close()
	w.cursor, w.margin = *since, replayMargin
	fmt.Fprintf(w.log, "ngo-client: connected to %s, replaying the changes since %s\n", w.url, since.UTC().Format(time.RFC3339))
	err = w.follow(ctx, sub)
	if replayRefused(err) {
		return true, w.catchUpInstead(ctx, err)
	}
	return true, err
}

// follow prints events as they come. The hub ends the subscription with
// UNAVAILABLE when it may have lost events; the next subscription's replay
// brings them, as it brings what a lost connection cost.
func (w *watcher) follow(ctx context.Context, sub *subscription) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case msg, ok := <-sub.events:
			if !ok {
				return errors.New("the server ended the subscription")
			}
			if len(msg.Errors) > 0 {
				return msg.Errors
			}
			if msg.Data != nil {
				w.handle(msg.Data.ReferralEvents.Kind, msg.Data.ReferralEvents.Referral)
			}
		case err := <-sub.errs:
			sub.ended = true
			return fmt.Errorf("connection lost: %w", err)
		}
	}
}

// replayRefused reports whether the hub refused to replay from since: it
// replays only so many changes, and asks for the inbox to be read instead.
func replayRefused(err error) bool {
	for _, e := range graphQLErrors(err) {
		if code, _ := e.Extensions["code"].(string); code == "BAD_USER_INPUT" && e.Extensions["field"] == "since" {
			return true
		}
	}
	return false
}

// catchUpInstead reads the inbox in place of the refused replay. Its error
// is no longer the refusal, which is final: the next subscription replays
// from what the inbox showed. That one starts without replayMargin, which
// would reach back into the burst of changes the hub would not replay and be
// refused again for as long as the burst is the newest news; it risks only
// a change whose transaction was under way while the inbox was read.
func (w *watcher) catchUpInstead(ctx context.Context, refusal error) error {
	if err := w.catchUp(ctx); err != nil {
		return err
	}
	w.margin = 0
	return fmt.Errorf("caught up through the inbox, since the hub would not replay: %s", describe(refusal))
}

// connectError is a failure to open the WebSocket or to subscribe.
type connectError struct{ err error }

// Error says that connecting failed, and why.
func (c connectError) Error() string { return "connecting: " + c.err.Error() }

// Unwrap is the cause.
func (c connectError) Unwrap() error { return c.err }

// hopeless returns err when no retry can mend it, else nil.
func (w *watcher) hopeless(ctx context.Context, err error) error {
	if final(err) {
		return err
	}
	var c connectError
	if errors.As(err, &c) {
		// A WebSocket refused at connection_init does not say why; the
		// same token over HTTP does (an expired token is UNAUTHENTICATED).
		if _, herr := Me(ctx, w.http); final(herr) {
			return herr
		}
	}
	return nil
}

// sleep waits for d, or less when ctx ends first; it reports whether it
// waited the whole time.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
