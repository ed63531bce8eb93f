package graph

import (
	"context"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"exithub"
	"exithub/graph/model"
)

func (r *Resolver) budgetLine(ctx context.Context, g *exithub.Grant) (*exithub.BudgetLine, error) {
	l, err := r.loaders(ctx).BudgetLine().Load(ctx, g.BudgetLineID)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, exithub.ErrNotFound
	}
	return l, err
}

// funding reports where a programme's money stood at the end of a day.
func (r *Resolver) funding(ctx context.Context, p *exithub.Programme, asOf exithub.Date) (*model.ProgrammeFunding, error) {
	lines, err := r.Services.Funding.BudgetLines(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	grants, err := r.Services.Funding.Grants(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	ds, err := r.Services.Funding.Disbursements(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	rep := exithub.FundingAsOf(p, lines, grants, ds, asOf)
	out := &model.ProgrammeFunding{Frame: rep.Total.Frame, Granted: rep.Total.Granted,
		Disbursed: rep.Total.Disbursed, NotGranted: rep.Total.NotGranted}
	for _, l := range lines {
		f := rep.ByLine[l.ID]
		out.ByBudgetLine = append(out.ByBudgetLine, &model.BudgetLineFunding{BudgetLine: l, Granted: f.Granted,
			Disbursed: f.Disbursed, NotGranted: f.NotGranted})
	}
	for _, id := range rep.Recipients {
		org, err := r.organisation(ctx, id)
		if err != nil {
			return nil, err
		}
		f := rep.ByRecipient[id]
		out.ByRecipient = append(out.ByRecipient, &model.RecipientFunding{Recipient: org, Granted: f.Granted, Disbursed: f.Disbursed})
	}
	return out, nil
}

// allocate previews a split by population of an amount from a budget line.
func (r *Resolver) allocate(ctx context.Context, line string, amount exithub.Money) ([]*exithub.Allocation, error) {
	as, err := r.Services.Funding.AllocateByPopulation(ctx, line, amount)
	if err != nil {
		return nil, err
	}
	out := make([]*exithub.Allocation, len(as))
	for i := range as {
		out[i] = &as[i]
	}
	return out, nil
}
