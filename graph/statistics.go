package graph

import (
	"context"

	"exithub"
	"exithub/graph/model"
)

// statistics reads the raw aggregates once; every field of the answer is
// computed from them under disclosure control.
func (r *Resolver) statistics(ctx context.Context, asOf exithub.Date, groupBy []exithub.Dimension) (*exithub.Statistics, error) {
	if err := exithub.ValidDimensions(groupBy); err != nil {
		return nil, err
	}
	facts, err := r.DB.PersonFacts(ctx, asOf, groupBy)
	if err != nil {
		return nil, err
	}
	return &exithub.Statistics{AsOf: asOf, Threshold: r.Disclosure.Threshold, Perturbed: len(groupBy) > 0,
		GroupBy: groupBy, Facts: facts}, nil
}

// personsHelped is the national total: exact, since it carries no location.
func (r *Resolver) personsHelped(s *exithub.Statistics) *exithub.Cell {
	n := 0
	for _, f := range s.Facts {
		n += f.N
	}
	c := r.Disclosure.Exact(n)
	return &c
}

func (r *Resolver) courseCounts(ctx context.Context, from, to exithub.Date, ended bool) ([]*model.CourseCount, error) {
	if to.Before(from) {
		return nil, exithub.Invalid("to", "a period ends on or after it begins")
	}
	cs, err := r.DB.CoursesInPeriod(ctx, from, to, ended)
	if err != nil {
		return nil, err
	}
	out := make([]*model.CourseCount, len(cs))
	for i, c := range cs {
		cell := r.Disclosure.Exact(c.N)
		out[i] = &model.CourseCount{Kind: c.Kind, Track: c.Track, Courses: &cell}
	}
	return out, nil
}

func (r *Resolver) referralsByStatus(ctx context.Context, s *exithub.Statistics) ([]*model.StatusCount, error) {
	ks, err := r.DB.ReferralsByStatus(ctx, s.AsOf)
	if err != nil {
		return nil, err
	}
	out := make([]*model.StatusCount, len(ks))
	for i, k := range ks {
		cell := r.Disclosure.Exact(k.N)
		out[i] = &model.StatusCount{Status: exithub.ReferralStatus(deref(k.Key)), Referrals: &cell}
	}
	return out, nil
}

func (r *Resolver) referralsByNGO(ctx context.Context, s *exithub.Statistics) ([]*model.NgoCount, error) {
	ks, err := r.DB.ReferralsByNGO(ctx, s.AsOf)
	if err != nil {
		return nil, err
	}
	out := make([]*model.NgoCount, len(ks))
	for i, k := range ks {
		cell := r.Disclosure.Exact(k.N)
		org, err := r.orgOrNil(ctx, k.Key)
		if err != nil {
			return nil, err
		}
		out[i] = &model.NgoCount{Ngo: org, Referrals: &cell}
	}
	return out, nil
}

func (r *Resolver) outcomes(ctx context.Context, s *exithub.Statistics) ([]*model.OutcomeCount, error) {
	ks, err := r.DB.Outcomes(ctx, s.AsOf)
	if err != nil {
		return nil, err
	}
	out := make([]*model.OutcomeCount, len(ks))
	for i, k := range ks {
		cell := r.Disclosure.Exact(k.N)
		out[i] = &model.OutcomeCount{Track: exithub.Track(deref(k.Key)), Outcome: exithub.Outcome(deref(k.Second)), Courses: &cell}
	}
	return out, nil
}

func (r *Resolver) orgOrNil(ctx context.Context, id *string) (*exithub.Organisation, error) {
	if id == nil {
		return nil, nil
	}
	return r.organisation(ctx, *id)
}
