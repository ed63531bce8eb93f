package exithub

import (
	"context"
	"time"
)

// The services below are what the GraphQL layer calls besides the
// domain's own services (ReferralService, CitizenService and so on), so
// that it can be given any implementation of them: the database's, or a
// test's fake.

// DirectoryService is the directory of organisations.
type DirectoryService interface {
	OrganisationByID(ctx context.Context, id string) (*Organisation, error)
	OrganisationByCode(ctx context.Context, code string) (*Organisation, error)
	FindOrganisations(ctx context.Context, kind *OrganisationKind) ([]*Organisation, error)
	CreateOrganisation(ctx context.Context, o Organisation) (*Organisation, error)
}

// DossierService is a citizen's dossier and its correction.
type DossierService interface {
	CitizenDossier(ctx context.Context, id string) (*Dossier, error)
	CorrectCitizen(ctx context.Context, id string, c CitizenCorrection) (*Citizen, error)
}

// AuditLogService reads the audit log.
type AuditLogService interface {
	AuditLog(ctx context.Context, f AuditFilter, page Page) ([]*AuditRecord, PageInfo, error)
	AccessLog(ctx context.Context, citizenID string) ([]*AuditRecord, error)
}

// NodeService finds the nodes no other service finds by id.
type NodeService interface {
	FindConsent(ctx context.Context, id string) (*Consent, error)
	FindCooperationAgreement(ctx context.Context, id string) (*CooperationAgreement, error)
	FindCrossMunicipalAgreement(ctx context.Context, id string) (*CrossMunicipalAgreement, error)
	FindGrant(ctx context.Context, id string) (*Grant, error)
}

// BudgetLineBatch reads budget lines by id, many at once.
type BudgetLineBatch interface {
	BudgetLinesByIDs(ctx context.Context, ids []string) (map[string]*BudgetLine, error)
}

// ReferralReplay reads the changes to referrals since a time.
type ReferralReplay interface {
	ReferralChangesSince(ctx context.Context, since time.Time) ([]ReferralChange, error)
}

// ChangeListener follows the changes to referrals as they happen. The
// channel closes when the changes can no longer be followed.
type ChangeListener interface {
	Subscribe() (<-chan ReferralChange, func(), error)
}

// ErrEventsUnavailable is what a subscriber is told when the hub cannot
// follow changes for now (its LISTEN connection is down), or has stopped
// following them for it: events may have been missed, so catch up through
// the inbox and subscribe again.
var ErrEventsUnavailable = &Error{Code: EUNAVAILABLE,
	Message: "the event stream was interrupted and events may have been missed; catch up through the inbox and subscribe again"}
