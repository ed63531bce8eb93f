package exithub

import "context"

// Programme is a funded programme: a frame of money and the budget lines
// (earmarks) it is split into.
type Programme struct {
	ID    string
	Code  string
	Name  string
	Frame Money
}

// BudgetLine is an earmark of a programme; a line without an earmark's
// purpose is the unearmarked reserve.
type BudgetLine struct {
	ID          string
	ProgrammeID string
	Code        string
	Name        string
	Earmark     Money
}

// Grant is money granted from a budget line to a recipient organisation.
type Grant struct {
	ID           string
	BudgetLineID string
	RecipientID  string
	Amount       Money
	DecidedOn    Date
	Purpose      string
}

// Disbursement is money paid out against a grant.
type Disbursement struct {
	ID      string
	GrantID string
	Amount  Money
	PaidOn  Date
}

// Funding is where the money stood on a day.
type Funding struct {
	Frame      Money // the frame (programme) or earmark (budget line); zero for a recipient
	Granted    Money
	Disbursed  Money
	NotGranted Money // frame − granted; zero for a recipient
}

// NewGrant is what a grant admin enters.
type NewGrant struct {
	ProgrammeCode  string
	BudgetLineCode string
	RecipientCode  string
	Amount         Money
	DecidedOn      Date
	Purpose        string
	IdempotencyKey string
}

// Validate checks a grant on its own; the funding invariants (no line over
// its earmark, no programme over its frame) are the database's to hold
// under concurrent writers.
func (g NewGrant) Validate() error {
	if g.Amount <= 0 {
		return Invalid("amount", "a grant is a positive amount")
	}
	if g.DecidedOn.IsZero() {
		return Invalid("decidedOn", "a grant needs its decision date")
	}
	if l := len([]rune(g.Purpose)); l == 0 || l > 2000 {
		return Invalid("purpose", "a purpose has 1 to 2000 characters")
	}
	return validateIdempotencyKey(g.IdempotencyKey)
}

// NewDisbursement is a payment a grant admin enters.
type NewDisbursement struct {
	GrantID        string
	Amount         Money
	PaidOn         Date
	IdempotencyKey string
}

// Validate checks a disbursement on its own.
func (d NewDisbursement) Validate() error {
	if d.Amount <= 0 {
		return Invalid("amount", "a disbursement is a positive amount")
	}
	if d.PaidOn.IsZero() {
		return Invalid("paidOn", "a disbursement needs its payment date")
	}
	return validateIdempotencyKey(d.IdempotencyKey)
}

// FundingService stores programmes, grants and disbursements.
type FundingService interface {
	FindProgramme(ctx context.Context, code string) (*Programme, error)
	BudgetLines(ctx context.Context, programmeID string) ([]*BudgetLine, error)
	Grants(ctx context.Context, programmeID string) ([]*Grant, error)
	Disbursements(ctx context.Context, programmeID string) ([]*Disbursement, error)
	CreateGrant(ctx context.Context, g NewGrant) (*Grant, error)
	CreateDisbursement(ctx context.Context, d NewDisbursement) (*Disbursement, error)
	AllocateByPopulation(ctx context.Context, budgetLine string, amount Money) ([]Allocation, error)
}

// Allocation is one municipality's share of an amount split by population.
type Allocation struct {
	OrganisationID string
	Population     int
	Amount         Money
}

// FundingReport is where a programme's money stood at the end of a day,
// in total, per budget line and per recipient.
type FundingReport struct {
	Total       Funding
	ByLine      map[string]Funding // by budget line id
	ByRecipient map[string]Funding // by organisation id
	Recipients  []string           // recipient ids in order of first grant
}

// FundingAsOf adds up grants decided and disbursements paid on or before
// asOf. Exact integer sums: no rounding anywhere.
func FundingAsOf(p *Programme, lines []*BudgetLine, grants []*Grant, ds []*Disbursement, asOf Date) FundingReport {
	r := FundingReport{ByLine: map[string]Funding{}, ByRecipient: map[string]Funding{}}
	r.Total.Frame = p.Frame
	for _, l := range lines {
		r.ByLine[l.ID] = Funding{Frame: l.Earmark}
	}
	byID := map[string]*Grant{}
	for _, g := range grants {
		byID[g.ID] = g
		if asOf.Before(g.DecidedOn) {
			continue
		}
		r.Total.Granted += g.Amount
		addTo(r.ByLine, g.BudgetLineID, Funding{Granted: g.Amount})
		if _, ok := r.ByRecipient[g.RecipientID]; !ok {
			r.Recipients = append(r.Recipients, g.RecipientID)
		}
		addTo(r.ByRecipient, g.RecipientID, Funding{Granted: g.Amount})
	}
	for _, d := range ds {
		g, ok := byID[d.GrantID]
		if !ok || asOf.Before(d.PaidOn) {
			continue
		}
		r.Total.Disbursed += d.Amount
		addTo(r.ByLine, g.BudgetLineID, Funding{Disbursed: d.Amount})
		addTo(r.ByRecipient, g.RecipientID, Funding{Disbursed: d.Amount})
	}
	r.Total.NotGranted = r.Total.Frame - r.Total.Granted
	for id, f := range r.ByLine {
		f.NotGranted = f.Frame - f.Granted
		r.ByLine[id] = f
	}
	return r
}

func addTo(m map[string]Funding, key string, f Funding) {
	cur := m[key]
	cur.Granted += f.Granted
	cur.Disbursed += f.Disbursed
	m[key] = cur
}
