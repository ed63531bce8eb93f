package graph

import (
	"context"

	"exithub"
	"exithub/graph/model"
)

// statistics asks the gate; every figure of the answer comes through it:
// the national invariants, or cells of a month's release.
func (r *Resolver) statistics(ctx context.Context, asOf exithub.Date, groupBy []exithub.Dimension) (*exithub.Statistics, error) {
	return r.Gate.Statistics(ctx, asOf, groupBy)
}

func (r *Resolver) personsHelped(ctx context.Context, s *exithub.Statistics) (*exithub.Cell, error) {
	total, err := r.Gate.PersonsHelped(ctx, s)
	return &total, err
}

func (r *Resolver) courseCounts(ctx context.Context, from, to exithub.Date, ended bool) ([]*model.CourseCount, error) {
	rel, err := r.Gate.Period(ctx, from, to)
	if err != nil {
		return nil, err
	}
	t := exithub.TableCoursesStarted
	if ended {
		t = exithub.TableCoursesEnded
	}
	var out []*model.CourseCount
	for _, c := range rel.Cells(t) {
		k := exithub.SplitCellKey(c.Key)
		out = append(out, &model.CourseCount{Kind: exithub.CourseKind(k[0]), Track: trackOrNil(k[1]), Courses: &c.Cell})
	}
	return out, nil
}

func (r *Resolver) referralsByStatus(ctx context.Context, s *exithub.Statistics) ([]*model.StatusCount, error) {
	rel, err := r.Gate.StatisticsRelease(ctx, s)
	if err != nil {
		return nil, err
	}
	var out []*model.StatusCount
	for _, c := range rel.Cells(exithub.TableReferralStatus) {
		out = append(out, &model.StatusCount{Status: exithub.ReferralStatus(c.Key), Referrals: &c.Cell})
	}
	return out, nil
}

func (r *Resolver) referralsByNGO(ctx context.Context, s *exithub.Statistics) ([]*model.NgoCount, error) {
	rel, err := r.Gate.StatisticsRelease(ctx, s)
	if err != nil {
		return nil, err
	}
	var out []*model.NgoCount
	for _, c := range rel.Cells(exithub.TableReferralNGO) {
		var id *string
		if c.Key != "" {
			id = &c.Key
		}
		org, err := r.orgOrNil(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, &model.NgoCount{Ngo: org, Referrals: &c.Cell})
	}
	return out, nil
}

func (r *Resolver) outcomes(ctx context.Context, s *exithub.Statistics) ([]*model.OutcomeCount, error) {
	rel, err := r.Gate.StatisticsRelease(ctx, s)
	if err != nil {
		return nil, err
	}
	var out []*model.OutcomeCount
	for _, c := range rel.Cells(exithub.TableOutcomes) {
		k := exithub.SplitCellKey(c.Key)
		out = append(out, &model.OutcomeCount{Track: exithub.Track(k[0]), Outcome: exithub.Outcome(k[1]), Courses: &c.Cell})
	}
	return out, nil
}

func trackOrNil(s string) *exithub.Track {
	if s == "" {
		return nil
	}
	t := exithub.Track(s)
	return &t
}

func (r *Resolver) orgOrNil(ctx context.Context, id *string) (*exithub.Organisation, error) {
	if id == nil {
		return nil, nil
	}
	return r.organisation(ctx, *id)
}

// statisticsRows turns the gate's rows into the schema's, with the
// municipalities the operation asks for from the directory (in memory).
func (r *Resolver) statisticsRows(ctx context.Context, rows []*exithub.StatisticsRow, err error) ([]*model.StatisticsRow, error) {
	if err != nil {
		return nil, err
	}
	muni, home := selects(ctx, nil, "municipality"), selects(ctx, nil, "homeMunicipality")
	all := make([]model.StatisticsRow, len(rows))
	out := make([]*model.StatisticsRow, len(rows))
	orgs := orgMemo{r: r}
	for i, row := range rows {
		m := &all[i]
		m.StatisticsRow = row
		if muni && row.MunicipalityID != nil {
			if m.Municipality, err = orgs.get(ctx, *row.MunicipalityID); err != nil {
				return nil, err
			}
		}
		if home && row.HomeID != nil {
			if m.HomeMunicipality, err = orgs.get(ctx, *row.HomeID); err != nil {
				return nil, err
			}
		}
		out[i] = m
	}
	return out, nil
}
