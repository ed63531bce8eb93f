package main

import (
	"context"
	"time"

	"github.com/Khan/genqlient/graphql"
)

// ackTimeout bounds connecting and the wait for connection_ack.
const ackTimeout = 10 * time.Second

// subscription is one WebSocket connection carrying referralEvents.
type subscription struct {
	events chan ReferralEventsWsResponse
	errs   chan error // the connection failed; genqlient's reader has ended
	cancel context.CancelFunc
	ended  bool // errs has delivered
}

// subscribe connects, sends the token in connection_init, waits for the
// server's ack and subscribes to referralEvents, replaying from since.
func subscribe(ctx context.Context, url, token string, since *time.Time, dialer wsDialer) (*subscription, error) {
	ctx, cancel := context.WithCancel(ctx)
	ws := graphql.NewClientUsingWebSocket(url, dialer,
		graphql.WithConnectionParams(map[string]any{"Authorization": "Bearer " + token}))
	errs, err := ws.Start(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	s := &subscription{errs: errs, cancel: cancel}
	if s.events, _, err = ReferralEvents(ctx, ws, since); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// close ends the connection and waits for genqlient's reader to end. Not
// genqlient's Close: that closes the events channel while its reader may be
// sending on it, and hangs on a connection that is already broken.
func (s *subscription) close() {
	s.cancel() // closes the connection, so the reader fails
	events := s.events
	for !s.ended {
		select {
		case _, ok := <-events:
			if !ok {
				events = nil // the server completed the subscription
			}
		case <-s.errs:
			s.ended = true
		}
	}
}
