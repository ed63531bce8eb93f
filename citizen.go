package exithub

import (
	"context"
	"time"
)

// Gender of a citizen, when the citizen chose to say.
type Gender string

// The genders a caseworker may record.
const (
	GenderFemale Gender = "FEMALE"
	GenderMale   Gender = "MALE"
	GenderOther  Gender = "OTHER"
)

// Citizen is a person served by a municipality, known to the hub only under a
// pseudonym: the CPR number is never stored, only its keyed hash.
type Citizen struct {
	ID             string
	CitizenRef     string // its keyed reference, as audit records name it
	Anonymous      bool
	MunicipalityID string // serving municipality: the only one that sees the record
	HomeID         string // home municipality
	Alias          string
	BirthYear      *int
	Gender         *Gender
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// RegisterCitizen is what a caseworker gives to register a citizen. CPR is
// empty for an anonymous registration.
type RegisterCitizen struct {
	CPR            string
	Alias          string
	HomeCode       string // home municipality's code; the serving one when empty
	BirthYear      *int
	Gender         *Gender
	IdempotencyKey string
}

// CitizenFilter narrows a list of citizens.
type CitizenFilter struct {
	AliasPrefix string // case-insensitive prefix of the alias
}

// CitizenService stores citizens; implementations enforce the policy.
type CitizenService interface {
	RegisterCitizen(ctx context.Context, in RegisterCitizen) (*Citizen, error)
	FindCitizen(ctx context.Context, id string) (*Citizen, error)
	FindCitizens(ctx context.Context, f CitizenFilter, page Page) ([]*Citizen, PageInfo, error)
	TransferCitizen(ctx context.Context, id, toCode, reason string) (*Transfer, error)
}

// ValidateTransferReason requires the reason a citizen is handed over.
func ValidateTransferReason(reason string) error {
	if l := len([]rune(reason)); l == 0 || l > 2000 {
		return Invalid("reason", "a transfer needs a reason of 1 to 2000 characters")
	}
	return nil
}

// Transfer records a hand-over of a citizen to another municipality.
type Transfer struct {
	CitizenID string
	FromID    string
	ToID      string
	Reason    string
	At        time.Time
}

// Validate checks a registration and returns the birth date the CPR implies,
// if any; the CPR itself goes no further than the pseudonymiser.
func (in RegisterCitizen) Validate() error {
	if in.CPR != "" {
		if _, err := ParseCPR(in.CPR); err != nil {
			return err
		}
	}
	if l := len([]rune(in.Alias)); l == 0 || l > 200 {
		return Invalid("alias", "an alias has 1 to 200 characters")
	}
	if in.BirthYear != nil && (*in.BirthYear < MinYear || *in.BirthYear > MaxYear) {
		return Invalid("birthYear", "birth year must be between %d and %d", MinYear, MaxYear)
	}
	if in.Gender != nil && *in.Gender != GenderFemale && *in.Gender != GenderMale && *in.Gender != GenderOther {
		return Invalid("gender", "unknown gender")
	}
	return validateIdempotencyKey(in.IdempotencyKey)
}

func validateIdempotencyKey(k string) error {
	if len(k) > 200 {
		return Invalid("idempotencyKey", "an idempotency key has at most 200 characters")
	}
	return nil
}

// CitizenCorrection is what a caseworker corrects on a citizen's record
// (GDPR art. 16); nil fields stay as they are.
type CitizenCorrection struct {
	Alias           *string
	BirthYear       *int
	Gender          *Gender
	HomeCode        *string
	ExpectedVersion *int
}

// Validate checks a correction.
func (c CitizenCorrection) Validate() error {
	in := RegisterCitizen{Alias: "x", BirthYear: c.BirthYear, Gender: c.Gender}
	if c.Alias != nil {
		in.Alias = *c.Alias
	}
	return in.Validate()
}

// Dossier is all the hub holds on one citizen (GDPR art. 15).
type Dossier struct {
	Citizen                  *Citizen
	Consents                 []*Consent
	Referrals                []*Referral
	CourseIDs                []string
	Transfers                []*Transfer
	CrossMunicipalAgreements []*CrossMunicipalAgreement
}
