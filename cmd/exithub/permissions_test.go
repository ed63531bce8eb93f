package main

import (
	"fmt"
	"slices"
	"testing"

	"exithub"
	"exithub/policy"
)

// TestMePermissionsAreThePolicysAnswers asks me { permissions } for two
// roles and compares the list, entry for entry and in order, with what the
// loaded policy answers for every resource and action: the API reports the
// policy, not a copy of it.
func TestMePermissionsAreThePolicysAnswers(t *testing.T) {
	h := startHub(t)
	p, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		org  string
		kind exithub.OrganisationKind
		role exithub.Role
	}{{"reden", exithub.KindNGO, exithub.RoleNGOWorker}, {"101", exithub.KindMunicipality, exithub.RoleCaseworker}} {
		var want []string
		for _, res := range exithub.Resources {
			for _, act := range exithub.Actions {
				if d := p.Decide(c.role, c.kind, res, act); d.Scope.Allowed() {
					want = append(want, fmt.Sprintf("%s %s %s", res, act, d.Scope))
				}
			}
		}
		data := h.must(h.token(c.org, c.role), `{ me { permissions { resource action scope } } }`, nil)
		var got []string
		for _, e := range get(data, "me", "permissions").([]any) {
			m := e.(map[string]any)
			got = append(got, fmt.Sprintf("%s %s %s", m["resource"], m["action"], m["scope"]))
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s@%s: me.permissions = %v, want %v", c.role, c.org, got, want)
		}
	}
}

// TestANewCitizenHasNoConsentsAndNoCourses: a citizen just registered has
// empty lists, not an internal error (the web app opens this page first).
func TestANewCitizenHasNoConsentsAndNoCourses(t *testing.T) {
	h := startHub(t)
	tok := h.token("101", exithub.RoleCaseworker)
	id := get(h.must(tok, `mutation { registerCitizen(input: {alias: "Ny", cpr: "010145-1234"}) { id } }`, nil), "registerCitizen", "id")
	d := h.must(tok, `query($id: ID!) { citizen(id: $id) { consents { id } courses { id } } }`, map[string]any{"id": id})
	if c, k := get(d, "citizen", "consents"), get(d, "citizen", "courses"); fmt.Sprint(c, k) != "[] []" {
		t.Errorf("a new citizen has consents %v and courses %v", c, k)
	}
}
