package policy

import (
	"testing"

	"exithub"
)

// The intended matrix, written out from the specification and not from
// policy.csv, so that a slip in either shows up as a difference.

// Short names, so that the grants below read like the specification.
const (
	read, create, update, transfer, withdraw = exithub.ActRead, exithub.ActCreate, exithub.ActUpdate, exithub.ActTransfer, exithub.ActWithdraw
	receive, accept, reject, start, complete = exithub.ActReceive, exithub.ActAccept, exithub.ActReject, exithub.ActStart, exithub.ActComplete
	fail, cancel, note, export               = exithub.ActFail, exithub.ActCancel, exithub.ActNote, exithub.ActExport

	own, addressed, aggregate, all = exithub.ScopeOwn, exithub.ScopeAddressed, exithub.ScopeAggregate, exithub.ScopeAll
)

var (
	caseworker  = []holder{{exithub.RoleCaseworker, exithub.KindMunicipality}}
	ngoWorker   = []holder{{exithub.RoleNGOWorker, exithub.KindNGO}}
	muniAuditor = []holder{{exithub.RoleAuditor, exithub.KindMunicipality}}
	opAuditor   = []holder{{exithub.RoleAuditor, exithub.KindOperator}}
	admin       = []holder{{exithub.RoleAdmin, exithub.KindOperator}}
	analysts    = []holder{
		{exithub.RoleAnalyst, exithub.KindMinistry},
		{exithub.RoleAnalyst, exithub.KindAgency},
		{exithub.RoleAnalyst, exithub.KindEvaluator},
	}
	grantAdmins = []holder{
		{exithub.RoleGrantAdmin, exithub.KindMinistry},
		{exithub.RoleGrantAdmin, exithub.KindAgency},
	}
	state      = append(append([]holder{}, analysts...), grantAdmins...)
	everyone   = append(append(append(append(append(append([]holder{}, caseworker...), ngoWorker...), muniAuditor...), opAuditor...), admin...), state...)
	personData = []exithub.Resource{exithub.ResCitizen, exithub.ResConsent, exithub.ResReferral, exithub.ResCourse}
)

// grant is one sentence of the specification: who may take which actions
// on a resource, and in what scope.
type grant struct {
	who   []holder
	res   exithub.Resource
	acts  []exithub.Action
	scope exithub.Scope
}

var intended = []grant{
	{everyone, exithub.ResOrganisation, acts(read), all},

	{caseworker, exithub.ResCitizen, acts(read, create, update, transfer, export), own},
	{caseworker, exithub.ResConsent, acts(read, create, withdraw), own},
	{caseworker, exithub.ResReferral, acts(read, create, cancel, note), own},
	{caseworker, exithub.ResCourse, acts(read, create, update), own},
	{caseworker, exithub.ResCooperation, acts(read, create, update), own},
	{caseworker, exithub.ResCrossMunicipal, acts(read, create, update), own},
	{caseworker, exithub.ResProgramme, acts(read), own},
	{caseworker, exithub.ResGrant, acts(read), own},
	{caseworker, exithub.ResDisbursement, acts(read), own},
	{caseworker, exithub.ResAudit, acts(read), own},

	{muniAuditor, exithub.ResAudit, acts(read), own},

	{ngoWorker, exithub.ResReferral, acts(read, receive, accept, reject, start, complete, fail, note), addressed},
	{ngoWorker, exithub.ResCooperation, acts(read), own},
	{ngoWorker, exithub.ResProgramme, acts(read), own},
	{ngoWorker, exithub.ResGrant, acts(read), own},
	{ngoWorker, exithub.ResDisbursement, acts(read), own},

	{state, exithub.ResCooperation, acts(read), all},
	{state, exithub.ResCrossMunicipal, acts(read), aggregate},
	{state, exithub.ResStatistics, acts(read), aggregate},
	{analysts, exithub.ResProgramme, acts(read), all},
	{analysts, exithub.ResGrant, acts(read), all},
	{analysts, exithub.ResDisbursement, acts(read), all},
	{analysts, exithub.ResStatistics, acts(export), aggregate},
	{grantAdmins, exithub.ResProgramme, acts(read, create, update), all},
	{grantAdmins, exithub.ResGrant, acts(read, create, update), all},
	{grantAdmins, exithub.ResDisbursement, acts(read, create), all},

	{opAuditor, exithub.ResAudit, acts(read, export), all},
	{admin, exithub.ResOrganisation, acts(create, update), all},
}

func acts(a ...exithub.Action) []exithub.Action { return a }

// intendedScopes spells the grants out question by question; anything
// absent is none. A question granted twice is a slip in the grants above.
func intendedScopes(t *testing.T) map[key]exithub.Scope {
	t.Helper()
	want := map[key]exithub.Scope{}
	for _, g := range intended {
		for _, h := range g.who {
			for _, act := range g.acts {
				k := key{h.role, h.kind, g.res, act}
				if _, dup := want[k]; dup {
					t.Fatalf("the intended matrix grants %s twice", k)
				}
				want[k] = g.scope
			}
		}
	}
	return want
}

func TestEveryDecisionMatchesTheIntendedMatrix(t *testing.T) {
	p := mustNew(t)
	want := intendedScopes(t)
	n := 0
	for _, role := range exithub.Roles {
		for _, kind := range exithub.OrganisationKinds {
			for _, res := range exithub.Resources {
				for _, act := range exithub.Actions {
					k := key{role, kind, res, act}
					w, ok := want[k]
					if !ok {
						w = exithub.ScopeNone
					}
					if got := p.Decide(role, kind, res, act).Scope; got != w {
						t.Errorf("%s: %s, want %s", k, got, w)
					}
					n++
				}
			}
		}
	}
	t.Logf("%d decisions checked, %d allow something", n, len(want))
}

func mustNew(t testing.TB) *Policy {
	t.Helper()
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
