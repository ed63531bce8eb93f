package exithub

import (
	"context"
	"slices"
)

// Role is what a principal may do within its organisation.
type Role string

// The roles of the hub.
const (
	RoleCaseworker Role = "caseworker"
	RoleNGOWorker  Role = "ngo_worker"
	RoleAnalyst    Role = "analyst"
	RoleGrantAdmin Role = "grant_admin"
	RoleAuditor    Role = "auditor"
	RoleAdmin      Role = "admin"
)

// Roles lists every role, in a fixed order.
var Roles = []Role{RoleCaseworker, RoleNGOWorker, RoleAnalyst, RoleGrantAdmin, RoleAuditor, RoleAdmin}

// rolesByKind says which roles an organisation of each kind can hold; a token
// naming any other combination is refused.
var rolesByKind = map[OrganisationKind][]Role{
	KindMunicipality: {RoleCaseworker, RoleAuditor},
	KindNGO:          {RoleNGOWorker},
	KindMinistry:     {RoleAnalyst, RoleGrantAdmin},
	KindAgency:       {RoleAnalyst, RoleGrantAdmin},
	KindEvaluator:    {RoleAnalyst},
	KindOperator:     {RoleAuditor, RoleAdmin},
}

// RolesFor returns the roles an organisation of kind k can hold.
func RolesFor(k OrganisationKind) []Role { return slices.Clone(rolesByKind[k]) }

// CanHold reports whether an organisation of kind k can hold role r.
func CanHold(k OrganisationKind, r Role) bool { return slices.Contains(rolesByKind[k], r) }

// Principal is who is asking: a person (sub) acting in a role for an
// organisation. It is built from a verified token and the directory.
type Principal struct {
	Sub  string
	Role Role
	Org  Organisation
}

type principalKey struct{}

// NewContextWithPrincipal returns a context carrying p.
func NewContextWithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFromContext returns the principal of the request, or nil.
func PrincipalFromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// RequirePrincipal returns the principal, or why it could not be known
// (NewContextWithIdentityError), or ErrUnauthenticated.
func RequirePrincipal(ctx context.Context) (*Principal, error) {
	if p := PrincipalFromContext(ctx); p != nil {
		return p, nil
	}
	if err, ok := ctx.Value(identityErrKey{}).(error); ok {
		return nil, err
	}
	return nil, ErrUnauthenticated
}

type identityErrKey struct{}

// NewContextWithIdentityError records that who is asking could not be
// established for a reason that is no refusal (the directory could not be
// read): every field that needs the principal fails with err, inside the
// execution, so that the answer is the same as for any other field that
// fails for that reason.
func NewContextWithIdentityError(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, identityErrKey{}, err)
}
