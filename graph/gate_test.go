package graph_test

import (
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"exithub"
	"exithub/policy"
)

// gateCells are the fields that return counts through exithub.Gate: the
// national invariants, and cells of a monthly release.
var gateCells = map[string]string{
	"Statistics.personsHelped":           "invariant (Gate.National)",
	"StatisticsRow.persons":              "invariant without groupBy, release cell with it (Gate.National, PersonsRows)",
	"CourseCount.courses":                "release cell (Gate.Period)",
	"StatusCount.referrals":              "release cell (Gate.MonthEnd)",
	"NgoCount.referrals":                 "release cell (Gate.MonthEnd)",
	"OutcomeCount.courses":               "release cell (Gate.MonthEnd)",
	"Query.crossMunicipalAgreementCount": "release cell for aggregate roles (Gate.Agreements)",
}

// notCounts are the integer fields an aggregate role reaches that count no
// persons and no records about persons, and why.
var notCounts = map[string]string{
	"Statistics.threshold":         "a parameter of the releases",
	"Allocation.population":        "a municipality's published population (directory data)",
	"Organisation.population":      "a municipality's published population (directory data)",
	"CooperationAgreement.version": "a version number of an agreement between organisations",
}

// aggregateRoles are the principals that may see persons only as aggregates.
var aggregateRoles = []exithub.Principal{
	{Role: exithub.RoleAnalyst, Org: exithub.Organisation{Kind: exithub.KindMinistry}},
	{Role: exithub.RoleAnalyst, Org: exithub.Organisation{Kind: exithub.KindAgency}},
	{Role: exithub.RoleAnalyst, Org: exithub.Organisation{Kind: exithub.KindEvaluator}},
	{Role: exithub.RoleGrantAdmin, Org: exithub.Organisation{Kind: exithub.KindMinistry}},
	{Role: exithub.RoleGrantAdmin, Org: exithub.Organisation{Kind: exithub.KindAgency}},
}

// Walks schema.graphqls from every root field an aggregate role may call
// (by the policy) through every type it can reach: each field that returns
// a count (an Int, or a Cell) is a gate cell, or is listed as not a count
// of persons or records. A new count field fails this test until it goes
// through the gate and is listed here.
func TestEveryCountAnAggregateRoleReachesPassesTheGate(t *testing.T) {
	text, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	schema, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(text)})
	if gqlErr != nil {
		t.Fatal(gqlErr)
	}
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	allowed := func(res, act string) bool {
		return slices.ContainsFunc(aggregateRoles, func(p exithub.Principal) bool {
			return authz.Scope(&p, exithub.Resource(res), exithub.Action(act)).Allowed()
		})
	}
	reachable := func(f *ast.FieldDefinition) bool {
		d := f.Directives.ForName("allow")
		return d == nil || allowed(d.Arguments.ForName("resource").Value.Raw, d.Arguments.ForName("action").Value.Raw)
	}
	seen := map[string]bool{}
	var counts []string
	var walk func(typeName string)
	walk = func(typeName string) {
		def := schema.Types[typeName]
		if def == nil || seen[typeName] || typeName == "Cell" { // a Cell is what the gate publishes
			return
		}
		if d := def.Directives.ForName("personal"); d != nil && !allowed(d.Arguments.ForName("resource").Value.Raw, "read") {
			return // a person's record: refused to aggregate roles
		}
		seen[typeName] = true
		for _, impl := range schema.PossibleTypes[typeName] {
			walk(impl.Name)
		}
		for _, f := range def.Fields {
			if !reachable(f) || (def.Kind != ast.Object && def.Kind != ast.Interface) {
				continue
			}
			if name := f.Type.Name(); name == "Int" || name == "Cell" {
				counts = append(counts, typeName+"."+f.Name)
			}
			walk(f.Type.Name())
		}
	}
	for _, root := range []*ast.Definition{schema.Query, schema.Subscription} {
		if root != nil {
			walk(root.Name)
		}
	}
	sort.Strings(counts)
	if len(counts) == 0 || !seen["Statistics"] {
		t.Fatalf("the walk reached no statistics: %v", counts)
	}
	for _, c := range counts {
		_, gated := gateCells[c]
		_, other := notCounts[c]
		if !gated && !other {
			t.Errorf("%s returns a count an aggregate role can read, but is neither an invariant nor a release cell", c)
		}
	}
	for c := range gateCells {
		if !slices.Contains(counts, c) {
			t.Errorf("%s is listed as a gate cell but is no longer reachable: update the list", c)
		}
	}
	t.Logf("counts an aggregate role reaches: %v", counts)
}
