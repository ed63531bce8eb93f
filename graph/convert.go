package graph

import (
	"context"

	"exithub"
	"exithub/graph/model"
	"exithub/graph/relay"
)

// Type names used in global ids.
const (
	typeOrganisation   = "Organisation"
	typeCitizen        = "Citizen"
	typeConsent        = "Consent"
	typeReferral       = "Referral"
	typeCourse         = "Course"
	typeCooperation    = "CooperationAgreement"
	typeCrossMunicipal = "CrossMunicipalAgreement"
	typeGrant          = "Grant"
)

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// page turns a connection's arguments into a domain page, which checks them.
func page(first *int, after *string, last *int, before *string) (exithub.Page, error) {
	return exithub.NewPage(first, last, after, before)
}

func sharedDetails(in []*model.SharedDetailInput) []exithub.SharedDetail {
	out := make([]exithub.SharedDetail, 0, len(in))
	for _, d := range in {
		out = append(out, exithub.SharedDetail{Kind: d.Kind, Value: d.Value})
	}
	return out
}

func transition(act exithub.Action, in model.ReferralTransitionInput) exithub.Transition {
	return exithub.Transition{
		ReferralID:      relay.IDOf(typeReferral, in.ID),
		Action:          act,
		ExpectedVersion: in.ExpectedVersion,
		Reason:          deref(in.Reason),
		Outcome:         deref(in.Outcome),
	}
}

func citizenConnection(rows []*exithub.Citizen, info exithub.PageInfo) *model.CitizenConnection {
	c := &model.CitizenConnection{Edges: make([]*model.CitizenEdge, len(rows)), PageInfo: &info}
	for i, r := range rows {
		c.Edges[i] = &model.CitizenEdge{Node: r, Cursor: info.Cursors[i]}
	}
	return c
}

func referralConnection(rows []*exithub.Referral, info exithub.PageInfo) *model.ReferralConnection {
	c := &model.ReferralConnection{Edges: make([]*model.ReferralEdge, len(rows)), PageInfo: &info}
	for i, r := range rows {
		c.Edges[i] = &model.ReferralEdge{Node: r, Cursor: info.Cursors[i]}
	}
	return c
}

// eventsOfKind returns a referral's events of one kind: those read with
// the referral when its list was asked for them, else through the loader.
func (r *Resolver) eventsOfKind(ctx context.Context, ref *exithub.Referral, kind string) ([]*exithub.ReferralEvent, error) {
	evs := ref.Events
	if evs == nil {
		var err error
		if evs, err = r.loaders(ctx).ReferralEvents.Load(ctx, ref.ID); err != nil {
			return nil, err
		}
	}
	out := make([]*exithub.ReferralEvent, 0, len(evs))
	for _, e := range evs {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out, nil
}

// organisation reads the directory, which the database layer keeps in
// memory: no loader, so no batch window to wait for.
func (r *Resolver) organisation(ctx context.Context, id string) (*exithub.Organisation, error) {
	return r.Services.Directory.OrganisationByID(ctx, id)
}

// nullIfNotFound turns NOT_FOUND into a null answer, as a single-object
// query answers for what does not exist or may not be seen.
func nullIfNotFound[T any](v *T, err error) (*T, error) {
	if exithub.ErrorCode(err) == exithub.ENOTFOUND {
		return nil, nil
	}
	return v, err
}
