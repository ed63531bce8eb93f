package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"exithub"
	"exithub/graph/model"
)

// referralEvents follows the changes that concern the caller's organisation.
// Each change is read again as the subscriber, through the policy, so an
// event never carries more than the subscriber may see. No event is dropped
// silently: when one cannot be delivered (the hub lost its LISTEN
// connection, the subscriber fell behind, the database failed the read) the
// stream ends with an error, and the subscriber subscribes again with since
// (the last change it heard of, less a margin), which replays what it
// missed from the referrals' history.
func (r *Resolver) referralEvents(ctx context.Context, since *time.Time) (<-chan *model.ReferralChangeEvent, error) {
	p, err := exithub.RequirePrincipal(ctx)
	if err != nil {
		return nil, err
	}
	// Subscribed before the history is read, so that nothing falls
	// between the replay and the live changes.
	changes, cancel, err := r.Services.Changes.Subscribe()
	if err != nil {
		return nil, err
	}
	var replay []exithub.ReferralChange
	if since != nil {
		if replay, err = r.Services.Replay.ReferralChangesSince(ctx, *since); err != nil {
			cancel()
			return nil, err
		}
	}
	out := make(chan *model.ReferralChangeEvent, 16)
	go func() {
		defer close(out)
		defer cancel()
		err := r.deliver(ctx, p, replay, out)
		if err == nil {
			err = r.follow(ctx, p, changes, out)
		}
		if err != nil {
			transport.AddSubscriptionError(ctx, streamError(err))
		}
	}()
	return out, nil
}

// deliver sends the replayed changes; nil also when ctx ended.
func (r *Resolver) deliver(ctx context.Context, p *exithub.Principal, changes []exithub.ReferralChange, out chan<- *model.ReferralChangeEvent) error {
	for _, c := range changes {
		ev, err := r.eventFor(ctx, p, c)
		if err != nil {
			return err
		}
		if ev == nil {
			continue
		}
		select {
		case out <- ev:
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

// follow delivers events until ctx ends (nil) or one cannot be delivered.
func (r *Resolver) follow(ctx context.Context, p *exithub.Principal, changes <-chan exithub.ReferralChange, out chan<- *model.ReferralChangeEvent) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case c, ok := <-changes:
			if !ok {
				return exithub.ErrEventsUnavailable
			}
			ev, err := r.eventFor(ctx, p, c)
			if err != nil {
				return err
			}
			if ev == nil {
				continue
			}
			select {
			case out <- ev:
			case <-ctx.Done():
				return nil
			}
		}
	}
}

// eventFor reads a change as the subscriber. A change the subscriber may
// not see (anymore) is no event; any other failure ends the stream.
func (r *Resolver) eventFor(ctx context.Context, p *exithub.Principal, c exithub.ReferralChange) (*model.ReferralChangeEvent, error) {
	if !c.ConcernsOrg(p.Org.ID) {
		return nil, nil
	}
	ctx = withLoaders(ctx, r.Services)
	ref, err := r.Services.Referrals.FindReferral(ctx, c.ReferralID)
	switch exithub.ErrorCode(err) {
	case "":
		var refs []*model.Referral
		if refs, err = r.referrals(ctx, []*exithub.Referral{ref}, selectedReferralFields(ctx, "referral")); err == nil {
			return &model.ReferralChangeEvent{Kind: model.ReferralChangeKind(c.Kind), Referral: refs[0]}, nil
		}
	case exithub.ENOTFOUND, exithub.EFORBIDDEN:
		return nil, nil
	}
	if ctx.Err() != nil {
		return nil, nil // the subscriber left while the change was read
	}
	return nil, err
}

// streamError is the error message that ends a subscription, shaped as the
// error presenter shapes an application error.
func streamError(err error) *gqlerror.Error {
	code := exithub.ErrorCode(err)
	e := &gqlerror.Error{Message: exithub.ErrorMessage(err), Extensions: map[string]any{"code": code}}
	if exithub.Retryable(code) {
		e.Extensions["retryable"] = true
	}
	return e
}
