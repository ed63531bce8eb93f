package exithub

// Scope is the answer of the policy for (principal, resource, action): which
// rows, if any, the action may touch. The database layer turns it into SQL.
type Scope string

// The scopes, from nothing to everything.
const (
	ScopeNone      Scope = "none"      // the action is refused
	ScopeOwn       Scope = "own"       // rows of the principal's own organisation
	ScopeAddressed Scope = "addressed" // rows addressed to the principal's organisation
	ScopeAggregate Scope = "aggregate" // aggregates only, never a person
	ScopeAll       Scope = "all"       // every row
)

// Scopes lists every scope.
var Scopes = []Scope{ScopeNone, ScopeOwn, ScopeAddressed, ScopeAggregate, ScopeAll}

// Allowed reports whether the scope permits anything at all.
func (s Scope) Allowed() bool { return s != ScopeNone && s != "" }

// Resource names a kind of data the policy speaks of.
type Resource string

// The resources of the hub.
const (
	ResOrganisation   Resource = "organisation"
	ResCitizen        Resource = "citizen"
	ResConsent        Resource = "consent"
	ResReferral       Resource = "referral"
	ResCourse         Resource = "course"
	ResCooperation    Resource = "cooperation_agreement"
	ResCrossMunicipal Resource = "crossmunicipal_agreement"
	ResProgramme      Resource = "programme"
	ResGrant          Resource = "grant"
	ResDisbursement   Resource = "disbursement"
	ResStatistics     Resource = "statistics"
	ResAudit          Resource = "audit"
)

// Resources lists every resource, in the order of the README's table.
var Resources = []Resource{ResOrganisation, ResCitizen, ResConsent, ResReferral, ResCourse,
	ResCooperation, ResCrossMunicipal, ResProgramme, ResGrant, ResDisbursement, ResStatistics, ResAudit}

// Action names what is done to a resource.
type Action string

// The actions. Referral transitions are actions of their own, so that who
// may take which is policy, not code.
const (
	ActRead     Action = "read"
	ActCreate   Action = "create"
	ActUpdate   Action = "update"
	ActTransfer Action = "transfer"
	ActWithdraw Action = "withdraw"
	ActReceive  Action = "receive"
	ActAccept   Action = "accept"
	ActReject   Action = "reject"
	ActStart    Action = "start"
	ActComplete Action = "complete"
	ActFail     Action = "fail"
	ActCancel   Action = "cancel"
	ActNote     Action = "note"
	ActExport   Action = "export"
)

// Actions lists every action, in the order of the README's table.
var Actions = []Action{ActRead, ActCreate, ActUpdate, ActTransfer, ActWithdraw, ActReceive,
	ActAccept, ActReject, ActStart, ActComplete, ActFail, ActCancel, ActNote, ActExport}

// Authorizer decides, once per request and resource, in what scope a
// principal may take an action. policy/ implements it with Casbin.
type Authorizer interface {
	Scope(p *Principal, res Resource, act Action) Scope
}

// Entitlement is one question a policy allows: a role of a kind of organisation
// may take an action on a resource, in a scope.
type Entitlement struct {
	Role     Role
	Kind     OrganisationKind
	Resource Resource
	Action   Action
	Scope    Scope
}
