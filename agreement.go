package exithub

import (
	"context"
	"slices"
)

// AgreementStatus is where an agreement is in its life.
type AgreementStatus string

// The states of an agreement.
const (
	AgreementDraft  AgreementStatus = "DRAFT"
	AgreementActive AgreementStatus = "ACTIVE"
	AgreementEnded  AgreementStatus = "ENDED"
)

// CooperationAgreement is a municipality's agreement with an NGO: who, for
// which period, how much, which services. Organisational data: the two
// parties and the ministry read it in full.
type CooperationAgreement struct {
	ID             string
	MunicipalityID string
	NGOID          string
	From           Date
	To             Date
	Amount         Money
	Services       []string
	Status         AgreementStatus
	Version        int
}

// NewCooperationAgreement is what a municipality registers.
type NewCooperationAgreement struct {
	NGOCode        string
	From, To       Date
	Amount         Money
	Services       []string
	Active         bool // registered as ACTIVE rather than DRAFT
	IdempotencyKey string
}

// agreementTransitions says which status may follow which.
var agreementTransitions = map[AgreementStatus][]AgreementStatus{
	AgreementDraft:  {AgreementActive, AgreementEnded},
	AgreementActive: {AgreementEnded},
}

// CanBecome says whether an agreement that is s may become next: a draft
// is activated or ended, an active agreement ended, an ended one is done.
func (s AgreementStatus) CanBecome(next AgreementStatus) error {
	if !slices.Contains(agreementTransitions[s], next) {
		return Errorf(ECONFLICT, "an agreement that is %s cannot become %s", s, next)
	}
	return nil
}

// Validate checks the agreement on its own.
func (a NewCooperationAgreement) Validate() error {
	if err := validatePeriod(a.From, a.To); err != nil {
		return err
	}
	if a.Amount <= 0 {
		return Invalid("amount", "an agreement's amount is positive")
	}
	if len(a.Services) == 0 || len(a.Services) > 50 {
		return Invalid("services", "an agreement covers 1 to 50 services")
	}
	for _, s := range a.Services {
		if l := len([]rune(s)); l == 0 || l > 200 {
			return Invalid("services", "a service is named in 1 to 200 characters")
		}
	}
	return validateIdempotencyKey(a.IdempotencyKey)
}

func validatePeriod(from, to Date) error {
	if from.IsZero() || to.IsZero() {
		return Invalid("from", "an agreement needs its period")
	}
	if to.Before(from) {
		return Invalid("to", "an agreement cannot end before it begins")
	}
	return nil
}

// CrossMunicipalAgreement lets a citizen of a non-project (home)
// municipality join a project municipality's course. Personal data: read by
// the two municipalities only; the home municipality sees the citizen's
// pseudonymous id, never the record.
type CrossMunicipalAgreement struct {
	ID        string
	CitizenID string
	// CitizenRef is the citizen's keyed reference, as audit records name it.
	CitizenRef string
	ProjectID  string // the project municipality serving the citizen
	HomeID     string
	From       Date
	To         Date
	Terms      string
	Status     AgreementStatus
	Version    int
}

// NewCrossMunicipalAgreement is what the project municipality registers.
type NewCrossMunicipalAgreement struct {
	CitizenID      string
	HomeCode       string
	From, To       Date
	Terms          string
	IdempotencyKey string
}

// Validate checks the agreement on its own.
func (a NewCrossMunicipalAgreement) Validate() error {
	if err := validatePeriod(a.From, a.To); err != nil {
		return err
	}
	if l := len([]rune(a.Terms)); l == 0 || l > 5000 {
		return Invalid("terms", "terms have 1 to 5000 characters")
	}
	return validateIdempotencyKey(a.IdempotencyKey)
}

// AgreementService stores agreements; implementations enforce the policy.
type AgreementService interface {
	CreateCooperationAgreement(ctx context.Context, a NewCooperationAgreement) (*CooperationAgreement, error)
	SetCooperationStatus(ctx context.Context, id string, status AgreementStatus, expectedVersion *int) (*CooperationAgreement, error)
	CooperationAgreements(ctx context.Context) ([]*CooperationAgreement, error)
	CreateCrossMunicipalAgreement(ctx context.Context, a NewCrossMunicipalAgreement) (*CrossMunicipalAgreement, error)
	EndCrossMunicipalAgreement(ctx context.Context, id string) (*CrossMunicipalAgreement, error)
	CrossMunicipalAgreements(ctx context.Context) ([]*CrossMunicipalAgreement, error)
}
