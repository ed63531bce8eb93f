package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"

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

func (r *Resolver) referralConnection(ctx context.Context, rows []*exithub.Referral, info exithub.PageInfo, sel referralFields) (*model.ReferralConnection, error) {
	refs, err := r.referrals(ctx, rows, sel)
	if err != nil {
		return nil, err
	}
	c := &model.ReferralConnection{Edges: make([]*model.ReferralEdge, len(rows)), PageInfo: &info}
	edges := make([]model.ReferralEdge, len(rows))
	for i, ref := range refs {
		edges[i] = model.ReferralEdge{Node: ref, Cursor: info.Cursors[i]}
		c.Edges[i] = &edges[i]
	}
	return c, nil
}

// referralFields are the fields of a Referral that its reader fills, as
// far as the operation asks for them.
type referralFields struct {
	from, to, events bool // events: history or notes
	// fullEvents: more of them than the history's target states and
	// actors (see exithub.ReferralParts.BriefEvents)
	fullEvents bool
	// details: any of the request's text (see exithub.ReferralParts.Brief)
	details bool
}

// selectedReferralFields says which of those the current field's selection
// asks for down path, where the referrals are.
func selectedReferralFields(ctx context.Context, path ...string) referralFields {
	var s referralFields
	oc := graphql.GetOperationContext(ctx)
	for _, f := range selection(ctx, path) {
		switch f.Name {
		case "from":
			s.from = true
		case "to":
			s.to = true
		case "history":
			s.events = true
			for _, e := range graphql.CollectFields(oc, f.Selections, nil) {
				if e.Name != "to" && e.Name != "actor" && e.Name != "__typename" {
					s.fullEvents = true
				}
			}
		case "notes":
			s.events, s.fullEvents = true, true
		case "externalOffer", "needs", "message", "sharedDetails", "contact", "outcome":
			s.details = true
		}
	}
	return s
}

// referral is one referral as the schema shows it (see referrals), with
// what the current field asks for; nil for nil.
func (r *Resolver) referral(ctx context.Context, ref *exithub.Referral) (*model.Referral, error) {
	if ref == nil {
		return nil, nil
	}
	out, err := r.referrals(ctx, []*exithub.Referral{ref}, selectedReferralFields(ctx))
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// referrals turns the domain's referrals into the schema's, filling what
// sel asks for: the global id always, the organisations from the
// directory, which is in memory, and the history and notes from what the
// read brought, else through the loader, all in one batch.
func (r *Resolver) referrals(ctx context.Context, refs []*exithub.Referral, sel referralFields) ([]*model.Referral, error) {
	all := make([]model.Referral, len(refs))
	out := make([]*model.Referral, len(refs))
	// Events not read with the referrals come through the loader: each
	// thunk joins the same batch, and calling one waits for it.
	var load []func() ([]*exithub.ReferralEvent, error)
	if sel.events && slices.ContainsFunc(refs, func(ref *exithub.Referral) bool { return ref.Events == nil }) {
		load = make([]func() ([]*exithub.ReferralEvent, error), len(refs))
		loader := r.loaders(ctx).ReferralEvents()
		for i, ref := range refs {
			if ref.Events == nil {
				load[i] = loader.LoadThunk(ctx, ref.ID)
			}
		}
	}
	orgs := orgMemo{r: r}
	for i, ref := range refs {
		m := &all[i]
		m.Referral, m.ID = ref, relay.ID(typeReferral, ref.ID)
		var err error
		if sel.from {
			if m.From, err = orgs.get(ctx, ref.FromID); err != nil {
				return nil, err
			}
		}
		if sel.to && ref.ToID != nil {
			if m.To, err = orgs.get(ctx, *ref.ToID); err != nil {
				return nil, err
			}
		}
		if sel.events {
			evs := ref.Events
			if load != nil && load[i] != nil {
				if evs, err = load[i](); err != nil {
					return nil, err
				}
			}
			m.History, m.Notes = eventsOfKind(evs, "TRANSITION"), eventsOfKind(evs, "NOTE")
		}
		out[i] = m
	}
	return out, nil
}

// orgMemo remembers the organisations a list looked up: its rows mostly
// name the same few (an inbox's every referral is to one NGO), and a month
// by municipality names each of them about eight times. The first few are
// kept without a map.
type orgMemo struct {
	r    *Resolver
	n    int
	ids  [8]string
	orgs [8]*exithub.Organisation
	more map[string]*exithub.Organisation
}

func (m *orgMemo) get(ctx context.Context, id string) (*exithub.Organisation, error) {
	for i, known := range m.ids[:m.n] {
		if known == id {
			return m.orgs[i], nil
		}
	}
	if o, ok := m.more[id]; ok {
		return o, nil
	}
	o, err := m.r.organisation(ctx, id)
	switch {
	case err != nil:
	case m.n < len(m.ids):
		m.ids[m.n], m.orgs[m.n] = id, o
		m.n++
	case m.more == nil:
		m.more = map[string]*exithub.Organisation{id: o}
	default:
		m.more[id] = o
	}
	return o, err
}

// noEvents is the empty history or notes every referral without any shares.
var noEvents = []*exithub.ReferralEvent{}

// eventsOfKind returns the events of one kind, in their order.
func eventsOfKind(evs []*exithub.ReferralEvent, kind string) []*exithub.ReferralEvent {
	n := 0
	for _, e := range evs {
		if e.Kind == kind {
			n++
		}
	}
	if n == 0 {
		return noEvents
	}
	if n == len(evs) {
		return evs
	}
	out := make([]*exithub.ReferralEvent, 0, n)
	for _, e := range evs {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
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
