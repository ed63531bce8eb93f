package graph_test

import (
	"context"
	"testing"

	"exithub"
	"exithub/graph"
)

// asked records which service's reader node called, with which row id.
type asked struct{ calls []string }

func (a *asked) add(what string) { a.calls = append(a.calls, what) }

type nodeCitizens struct {
	exithub.CitizenService
	*asked
}

func (f nodeCitizens) FindCitizen(_ context.Context, id string) (*exithub.Citizen, error) {
	f.add("FindCitizen " + id)
	return &exithub.Citizen{ID: id, Alias: "alias of " + id}, nil
}

type nodeDirectory struct {
	exithub.DirectoryService
	*asked
}

func (f nodeDirectory) OrganisationByID(_ context.Context, id string) (*exithub.Organisation, error) {
	f.add("OrganisationByID " + id)
	return &exithub.Organisation{ID: id, Code: "code of " + id, Kind: exithub.KindNGO}, nil
}

type nodeConsents struct {
	exithub.NodeService
	*asked
}

func (f nodeConsents) FindConsent(_ context.Context, id string) (*exithub.Consent, error) {
	f.add("FindConsent " + id)
	return &exithub.Consent{ID: id, Purpose: "purpose of " + id}, nil
}

type nodeReferrals struct {
	exithub.ReferralService
	*asked
}

func (f nodeReferrals) FindReferral(_ context.Context, id string) (*exithub.Referral, error) {
	f.add("FindReferral " + id)
	return referral(id), nil
}

func nodeServices(a *asked) graph.Services {
	return graph.Services{Citizens: nodeCitizens{asked: a}, Directory: nodeDirectory{asked: a},
		Nodes: nodeConsents{asked: a}, Referrals: nodeReferrals{asked: a}}
}

const nodeQuery = `query($id: ID!) { node(id: $id) { __typename id
  ... on Citizen { alias } ... on Organisation { code } ... on Consent { purpose } ... on Referral { message } } }`

// node reads an object through its type's own service, with the row id in
// the global id, and answers the same global id: the id round-trips.
func TestNodeReadsEachTypeThroughItsService(t *testing.T) {
	for _, c := range []struct {
		typ, call, field, value string
	}{
		{"Citizen", "FindCitizen x1", "alias", "alias of x1"},
		{"Organisation", "OrganisationByID x1", "code", "code of x1"},
		{"Consent", "FindConsent x1", "purpose", "purpose of x1"},
		{"Referral", "FindReferral x1", "message", "message of x1"},
	} {
		t.Run(c.typ, func(t *testing.T) {
			a := &asked{}
			gid := globalID(c.typ, "x1")
			out := runAs(t, caseworker, nodeServices(a), nodeQuery, map[string]any{"id": gid})
			if out["errors"] != nil {
				t.Fatalf("errors: %v", out["errors"])
			}
			if len(a.calls) != 1 || a.calls[0] != c.call {
				t.Fatalf("services asked %v, want %s", a.calls, c.call)
			}
			n := at(t, out, "data", "node").(map[string]any)
			if n["__typename"] != c.typ || n["id"] != gid || n[c.field] != c.value {
				t.Fatalf("node %v, want a %s with id %s and %s %q", n, c.typ, gid, c.field, c.value)
			}
		})
	}
}

// An id that is not a global id, or names no type with nodes, is an object
// that does not exist: null, and no service is asked.
func TestAMalformedGlobalIDIsNoNode(t *testing.T) {
	for name, gid := range map[string]string{
		"not base64":    "%%%",
		"no type":       globalID("", "x1"),
		"no row id":     globalID("Referral", ""),
		"unknown type":  globalID("Payroll", "x1"),
		"no separator":  "UmVmZXJyYWw",
		"too long":      globalID("Referral", string(make([]byte, 300))),
		"standard b64=": "UmVmZXJyYWw6eDE=",
	} {
		t.Run(name, func(t *testing.T) {
			a := &asked{}
			out := runAs(t, caseworker, nodeServices(a), nodeQuery, map[string]any{"id": gid})
			if out["errors"] != nil {
				t.Fatalf("errors: %v", out["errors"])
			}
			if n := at(t, out, "data", "node"); n != nil {
				t.Fatalf("node %v", n)
			}
			if len(a.calls) != 0 {
				t.Fatalf("services asked %v", a.calls)
			}
		})
	}
}

// A global id of another type names no row where a referral's is asked
// for: the service is asked for the empty id, which no row has, never for
// the other type's row id.
func TestAnotherTypesGlobalIDNamesNoReferral(t *testing.T) {
	a := &asked{}
	runAs(t, caseworker, nodeServices(a), `query($id: ID!) { referral(id: $id) { id } }`, map[string]any{"id": globalID("Citizen", "x1")})
	if len(a.calls) != 1 || a.calls[0] != "FindReferral " {
		t.Fatalf("services asked %q, want FindReferral of no id", a.calls)
	}
}
