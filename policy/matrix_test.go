package policy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"exithub"
)

// expected is the intended matrix, written out independently of
// policy.csv: what each role of each kind may do, in which scope.
func expected(role exithub.Role, kind exithub.OrganisationKind, res exithub.Resource, act exithub.Action) exithub.Scope {
	is := func(acts ...exithub.Action) bool { return slices.Contains(acts, act) }
	if res == exithub.ResOrganisation && act == exithub.ActRead {
		return exithub.ScopeAll
	}
	state := kind == exithub.KindMinistry || kind == exithub.KindAgency || kind == exithub.KindEvaluator
	switch {
	case role == exithub.RoleCaseworker:
		return caseworker(res, act)
	case role == exithub.RoleAuditor && kind == exithub.KindMunicipality && res == exithub.ResAudit && is(exithub.ActRead):
		return exithub.ScopeOwn
	case role == exithub.RoleAuditor && kind == exithub.KindOperator && res == exithub.ResAudit && is(exithub.ActRead, exithub.ActExport):
		return exithub.ScopeAll
	case role == exithub.RoleAdmin && res == exithub.ResOrganisation && is(exithub.ActCreate, exithub.ActUpdate):
		return exithub.ScopeAll
	case role == exithub.RoleNGOWorker:
		return ngoWorker(res, act)
	case (role == exithub.RoleAnalyst || role == exithub.RoleGrantAdmin) && state:
		return stateRole(role, res, act)
	}
	return exithub.ScopeNone
}

func caseworker(res exithub.Resource, act exithub.Action) exithub.Scope {
	allowed := map[exithub.Resource][]exithub.Action{
		exithub.ResCitizen:        {exithub.ActRead, exithub.ActCreate, exithub.ActUpdate, exithub.ActTransfer, exithub.ActExport},
		exithub.ResConsent:        {exithub.ActRead, exithub.ActCreate, exithub.ActWithdraw},
		exithub.ResReferral:       {exithub.ActRead, exithub.ActCreate, exithub.ActCancel, exithub.ActNote},
		exithub.ResCourse:         {exithub.ActRead, exithub.ActCreate, exithub.ActUpdate},
		exithub.ResCooperation:    {exithub.ActRead, exithub.ActCreate, exithub.ActUpdate},
		exithub.ResCrossMunicipal: {exithub.ActRead, exithub.ActCreate, exithub.ActUpdate},
		exithub.ResProgramme:      {exithub.ActRead},
		exithub.ResGrant:          {exithub.ActRead},
		exithub.ResDisbursement:   {exithub.ActRead},
		exithub.ResAudit:          {exithub.ActRead},
	}
	if slices.Contains(allowed[res], act) {
		return exithub.ScopeOwn
	}
	return exithub.ScopeNone
}

func ngoWorker(res exithub.Resource, act exithub.Action) exithub.Scope {
	switch {
	case res == exithub.ResReferral && act != exithub.ActCreate && act != exithub.ActCancel && slices.Contains(
		[]exithub.Action{exithub.ActRead, exithub.ActReceive, exithub.ActAccept, exithub.ActReject, exithub.ActStart,
			exithub.ActComplete, exithub.ActFail, exithub.ActNote}, act):
		return exithub.ScopeAddressed
	case act == exithub.ActRead && slices.Contains([]exithub.Resource{exithub.ResCooperation, exithub.ResProgramme,
		exithub.ResGrant, exithub.ResDisbursement}, res):
		return exithub.ScopeOwn
	}
	return exithub.ScopeNone
}

func stateRole(role exithub.Role, res exithub.Resource, act exithub.Action) exithub.Scope {
	switch {
	case res == exithub.ResCooperation && act == exithub.ActRead:
		return exithub.ScopeAll
	case res == exithub.ResCrossMunicipal && act == exithub.ActRead:
		return exithub.ScopeAggregate
	case res == exithub.ResStatistics && act == exithub.ActRead:
		return exithub.ScopeAggregate
	case res == exithub.ResStatistics && act == exithub.ActExport && role == exithub.RoleAnalyst:
		return exithub.ScopeAggregate
	case role == exithub.RoleAnalyst && act == exithub.ActRead &&
		slices.Contains([]exithub.Resource{exithub.ResProgramme, exithub.ResGrant, exithub.ResDisbursement}, res):
		return exithub.ScopeAll
	case role == exithub.RoleGrantAdmin && (res == exithub.ResProgramme || res == exithub.ResGrant) &&
		slices.Contains([]exithub.Action{exithub.ActRead, exithub.ActCreate, exithub.ActUpdate}, act):
		return exithub.ScopeAll
	case role == exithub.RoleGrantAdmin && res == exithub.ResDisbursement && (act == exithub.ActRead || act == exithub.ActCreate):
		return exithub.ScopeAll
	}
	return exithub.ScopeNone
}

func TestEveryRoleResourceActionMatchesTheTable(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, role := range exithub.Roles {
		for _, kind := range exithub.OrganisationKinds {
			for _, res := range exithub.Resources {
				for _, act := range exithub.Actions {
					got := p.Decide(role, kind, res, act).Scope
					want := exithub.ScopeNone
					if exithub.CanHold(kind, role) {
						want = expected(role, kind, res, act)
					}
					if got != want {
						t.Errorf("%s@%s %s %s: %s, want %s", role, kind, res, act, got, want)
					}
					n++
				}
			}
		}
	}
	t.Logf("%d decisions checked", n)
}

func TestMinistryNeverReachesAPerson(t *testing.T) {
	p, _ := New()
	for _, kind := range []exithub.OrganisationKind{exithub.KindMinistry, exithub.KindAgency, exithub.KindEvaluator} {
		for _, role := range exithub.RolesFor(kind) {
			for _, res := range []exithub.Resource{exithub.ResCitizen, exithub.ResConsent, exithub.ResReferral, exithub.ResCourse} {
				for _, act := range exithub.Actions {
					if s := p.Decide(role, kind, res, act).Scope; s != exithub.ScopeNone {
						t.Errorf("%s@%s may %s %s in scope %s", role, kind, act, res, s)
					}
				}
			}
		}
	}
}

func TestRoleTheKindCannotHoldIsDenied(t *testing.T) {
	p, _ := New()
	pr := &exithub.Principal{Role: exithub.RoleCaseworker, Org: exithub.Organisation{Kind: exithub.KindNGO}}
	if s := p.Scope(pr, exithub.ResOrganisation, exithub.ActRead); s != exithub.ScopeNone {
		t.Fatalf("caseworker@NGO reads the directory in scope %s", s)
	}
	if s := p.Scope(nil, exithub.ResOrganisation, exithub.ActRead); s != exithub.ScopeNone {
		t.Fatalf("nobody reads the directory in scope %s", s)
	}
}

func TestLoadRefusesBadLines(t *testing.T) {
	for name, line := range map[string]string{
		"unknown role":     "p, janitor, MUNICIPALITY, citizen, read, own",
		"unknown resource": "p, caseworker, MUNICIPALITY, spaceship, read, own",
		"unknown scope":    "p, caseworker, MUNICIPALITY, citizen, read, galaxy",
		"kind mismatch":    "p, caseworker, NGO, citizen, read, own",
		"unknown action":   "p, caseworker, MUNICIPALITY, citizen, fly, own",
	} {
		if _, err := fromText(modelText, line+"\n"); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	dir := t.TempDir()
	m, c := filepath.Join(dir, "model.conf"), filepath.Join(dir, "policy.csv")
	os.WriteFile(m, []byte(modelText), 0o600)
	os.WriteFile(c, []byte("p, caseworker, MUNICIPALITY, citizen, read, own\n"), 0o600)
	p, err := Load(m, c)
	if err != nil || p.Decide(exithub.RoleCaseworker, exithub.KindMunicipality, exithub.ResCitizen, exithub.ActRead).Scope != exithub.ScopeOwn {
		t.Fatalf("Load from files: %v", err)
	}
}

func TestExplainNamesTheRule(t *testing.T) {
	p, _ := New()
	lines := ExplainText(exithub.RoleNGOWorker, exithub.ResReferral, exithub.ActAccept,
		p.Explain(exithub.RoleNGOWorker, exithub.ResReferral, exithub.ActAccept))
	if len(lines) != 1 || !strings.Contains(lines[0], "addressed") || !strings.Contains(lines[0], "p, ngo_worker, NGO, referral, accept, addressed") {
		t.Fatalf("explain: %v", lines)
	}
	lines = ExplainText(exithub.RoleAuditor, exithub.ResCitizen, exithub.ActRead, p.Explain(exithub.RoleAuditor, exithub.ResCitizen, exithub.ActRead))
	if len(lines) != 2 || !strings.Contains(lines[0], "default deny") {
		t.Fatalf("explain of a denial: %v", lines)
	}
}

func TestREADMECarriesThePolicyTable(t *testing.T) {
	p, _ := New()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- policy-table:begin -->\n", "<!-- policy-table:end -->"
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the policy table markers")
	}
	if got := s[i+len(begin) : j]; got != p.MarkdownTable() {
		t.Fatalf("README's policy table is stale; it should read:\n%s", p.MarkdownTable())
	}
}

func BenchmarkScope(b *testing.B) {
	p, _ := New()
	pr := &exithub.Principal{Role: exithub.RoleNGOWorker, Org: exithub.Organisation{Kind: exithub.KindNGO}}
	for b.Loop() {
		p.Scope(pr, exithub.ResReferral, exithub.ActRead)
	}
}

func BenchmarkDecideUncached(b *testing.B) {
	p, _ := New()
	for b.Loop() {
		p.decide(key{exithub.RoleNGOWorker, exithub.KindNGO, exithub.ResReferral, exithub.ActAccept})
	}
}
