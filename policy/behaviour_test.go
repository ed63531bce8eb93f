package policy

import (
	"slices"
	"strings"
	"testing"

	"exithub"
)

func TestMinistryNeverReachesAPerson(t *testing.T) {
	p := mustNew(t)
	for _, h := range state {
		for _, res := range personData {
			for _, act := range exithub.Actions {
				if s := p.Decide(h.role, h.kind, res, act).Scope; s != exithub.ScopeNone {
					t.Errorf("%s@%s may %s %s in scope %s", h.role, h.kind, act, res, s)
				}
			}
		}
	}
}

func TestNGOSeesOnlyAddressedReferrals(t *testing.T) {
	p := mustNew(t)
	ngo := ngoWorker[0]
	for _, act := range exithub.Actions {
		s := p.Decide(ngo.role, ngo.kind, exithub.ResReferral, act).Scope
		if s != exithub.ScopeNone && s != exithub.ScopeAddressed {
			t.Errorf("ngo_worker may %s referrals in scope %s", act, s)
		}
	}
	if s := p.Decide(ngo.role, ngo.kind, exithub.ResReferral, exithub.ActRead).Scope; s != exithub.ScopeAddressed {
		t.Errorf("ngo_worker reads referrals in scope %s, want addressed", s)
	}
	for _, res := range []exithub.Resource{exithub.ResCitizen, exithub.ResConsent, exithub.ResCourse} {
		if s := p.Decide(ngo.role, ngo.kind, res, exithub.ActRead).Scope; s != exithub.ScopeNone {
			t.Errorf("ngo_worker reads %s in scope %s outside a referral", res, s)
		}
	}
}

func TestUnknownRoleForKindIsDenied(t *testing.T) {
	p := mustNew(t)
	for _, pr := range []*exithub.Principal{
		nil,
		{Role: exithub.RoleCaseworker, Org: exithub.Organisation{Kind: exithub.KindNGO}},
		{Role: exithub.RoleAdmin, Org: exithub.Organisation{Kind: exithub.KindMunicipality}},
		{Role: "janitor", Org: exithub.Organisation{Kind: exithub.KindMunicipality}},
		{Role: exithub.RoleCaseworker, Org: exithub.Organisation{Kind: "PLANET"}},
		{Role: exithub.RoleCaseworker},
	} {
		if s := p.Scope(pr, exithub.ResOrganisation, exithub.ActRead); s != exithub.ScopeNone {
			t.Errorf("%+v reads the directory in scope %s", pr, s)
		}
	}
}

func TestEveryRoleOfEveryKindReadsTheDirectory(t *testing.T) {
	p := mustNew(t)
	for _, h := range holders() {
		pr := &exithub.Principal{Role: h.role, Org: exithub.Organisation{Kind: h.kind}}
		if s := p.Scope(pr, exithub.ResOrganisation, exithub.ActRead); s != exithub.ScopeAll {
			t.Errorf("%s@%s reads the directory in scope %s, want all", h.role, h.kind, s)
		}
	}
}

func TestADecisionNamesItsLine(t *testing.T) {
	p := mustNew(t)
	d := p.Decide(exithub.RoleNGOWorker, exithub.KindNGO, exithub.ResReferral, exithub.ActAccept)
	want := []string{"ngo_worker", "NGO", "referral", "accept", "addressed"}
	if !slices.Equal(d.Rule, want) {
		t.Fatalf("rule %v, want %v", d.Rule, want)
	}
	d.Rule[4] = "all" // a caller's copy: later answers must not change
	if again := p.Decide(exithub.RoleNGOWorker, exithub.KindNGO, exithub.ResReferral, exithub.ActAccept); again.Rule[4] != "addressed" {
		t.Fatalf("a caller changed the policy: %v", again.Rule)
	}
	if d := p.Decide(exithub.RoleNGOWorker, exithub.KindNGO, exithub.ResReferral, exithub.ActCreate); d.Rule != nil || d.Scope != exithub.ScopeNone {
		t.Fatalf("default deny: %+v", d)
	}
}

func TestExplainNamesTheRuleForEveryKind(t *testing.T) {
	p := mustNew(t)
	lines := ExplainText(exithub.RoleNGOWorker, exithub.ResReferral, exithub.ActAccept,
		p.Explain(exithub.RoleNGOWorker, exithub.ResReferral, exithub.ActAccept))
	want := "ngo_worker@NGO referral accept -> addressed (rule: p, ngo_worker, NGO, referral, accept, addressed)"
	if !slices.Equal(lines, []string{want}) {
		t.Fatalf("explain: %q", lines)
	}
	lines = ExplainText(exithub.RoleAnalyst, exithub.ResCitizen, exithub.ActRead,
		p.Explain(exithub.RoleAnalyst, exithub.ResCitizen, exithub.ActRead))
	if len(lines) != 3 || lines[0] != "analyst@MINISTRY citizen read -> none (default deny: no rule)" {
		t.Fatalf("explain of a denial to three kinds: %q", lines)
	}
	lines = ExplainText("janitor", exithub.ResCitizen, exithub.ActRead, p.Explain("janitor", exithub.ResCitizen, exithub.ActRead))
	if len(lines) != 1 || !strings.HasSuffix(lines[0], "-> none") {
		t.Fatalf("explain of an unknown role: %q", lines)
	}
}
