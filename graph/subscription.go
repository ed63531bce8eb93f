package graph

import (
	"context"

	"exithub"
	"exithub/graph/model"
)

// referralEvents follows the changes that concern the caller's organisation.
// Each change is read again as the subscriber, through the policy, so an
// event never carries more than the subscriber may see.
func (r *Resolver) referralEvents(ctx context.Context) (<-chan *model.ReferralChangeEvent, error) {
	p, err := exithub.RequirePrincipal(ctx)
	if err != nil {
		return nil, err
	}
	changes, cancel := r.Listener.Subscribe()
	out := make(chan *model.ReferralChangeEvent, 16)
	go func() {
		defer close(out)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case c, ok := <-changes:
				if !ok {
					return
				}
				if ev := r.eventFor(ctx, p, c); ev != nil {
					select {
					case out <- ev:
					case <-ctx.Done():
						return
					}
				}
			}
		}
	}()
	return out, nil
}

func (r *Resolver) eventFor(ctx context.Context, p *exithub.Principal, c exithub.ReferralChange) *model.ReferralChangeEvent {
	if !c.ConcernsOrg(p.Org.ID) {
		return nil
	}
	ctx = withLoaders(ctx, r.DB)
	ref, err := r.DB.FindReferral(ctx, c.ReferralID)
	if err != nil {
		return nil
	}
	return &model.ReferralChangeEvent{Kind: model.ReferralChangeKind(c.Kind), Referral: ref}
}
