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

// session is one connection: subscribe, catch up, then print events until
// the connection fails. connected tells whether it got that far.
func (w *watcher) session(ctx context.Context) (connected bool, err error) {
	if !w.started {
		// Before subscribing: a referral created between this read and
		// the subscription is then found by the catch-up below.
		if err := w.markExisting(ctx); err != nil {
			return false, err
		}
	}
	sub, err := subscribe(ctx, w.url, w.token, w.hints)
	if err != nil {
		return false, connectError{err}
	}
	defer sub.close()
	// After subscribing: what is created from now on arrives as an event.
	if err := w.catchUp(ctx); err != nil {
		return false, err
	}
	fmt.Fprintf(w.log, "ngo-client: connected to %s\n", w.url)
	return true, w.follow(ctx, sub)
}

// follow prints events as they come, and reads the inbox now and then.
func (w *watcher) follow(ctx context.Context, sub *subscription) error {
	resync := time.NewTimer(w.cfg.settle)
	defer resync.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case msg, ok := <-sub.events:
			if !ok {
				return errors.New("the server ended the subscription")
			}
			if len(msg.Errors) > 0 {
				return w.streamEnded(ctx, msg.Errors)
			}
			if msg.Data != nil {
				ev := msg.Data.ReferralEvents
				w.print(string(ev.Kind), ev.Referral.ReferralLine)
			}
		case err := <-sub.errs:
			sub.ended = true
			return fmt.Errorf("connection lost: %w", err)
		case <-resync.C:
			if err := w.catchUp(ctx); err != nil {
				return err
			}
			resync.Reset(w.cfg.resync)
		}
	}
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

// streamEnded is the end of a subscription by the server with an error. One
// that is retryable (the hub lost the feed of changes, say) may have cost
// events: the inbox is read at once, before the wait to reconnect.
func (w *watcher) streamEnded(ctx context.Context, errs error) error {
	if errorCode(errs) != "UNAVAILABLE" {
		return errs
	}
	if err := w.catchUp(ctx); err != nil {
		return errors.Join(errs, err)
	}
	return errs
}
