package main

import (
	"testing"

	"exithub"
)

// TestAllocateHonoursBudgetLineGrantNamesRecipientPhaseNull: allocateByPopulation refuses an unknown
// budget line naming the argument; createGrant names the recipient it does
// not know; a course without phases answers phase null, not 0.
func TestAllocateHonoursBudgetLineGrantNamesRecipientPhaseNull(t *testing.T) {
	h := startHub(t)
	ga := h.token("socialstyrelsen", exithub.RoleGrantAdmin)
	q := `query($l: String!) { allocateByPopulation(budgetLine: $l, amount: "1000.00") { amount } }`
	r := h.do(ga, q, map[string]any{"l": "NO_SUCH_LINE"})
	if r.code() != exithub.EINVALID || r.Errors[0].Extensions["field"] != "budgetLine" {
		t.Fatalf("an unknown budget line: %s", r.raw)
	}
	if d := h.must(ga, q, map[string]any{"l": "MUNICIPAL"}); len(get(d, "allocateByPopulation").([]any)) != 4 {
		t.Fatalf("the split of a known line: %v", d)
	}
	r = h.do(ga, `mutation { createGrant(input: {programme: "EXIT_PROSTITUTION", budgetLine: "NGO", recipient: "nobody",
		amount: "1.00", decidedOn: "2014-06-01", purpose: "x"}) { id } }`, nil)
	if r.code() != exithub.EINVALID || r.Errors[0].Extensions["field"] != "recipient" {
		t.Fatalf("an unknown recipient: %s", r.raw)
	}
	cw := h.token("101", exithub.RoleCaseworker)
	d := h.must(cw, `{ citizens(first: 100) { edges { node { courses { kind phase } } } } }`, nil)
	kinds := map[string]int{}
	for _, e := range get(d, "citizens", "edges").([]any) {
		for _, c := range get(e, "node", "courses").([]any) {
			kind, phase := get(c, "kind").(string), get(c, "phase")
			kinds[kind]++
			if (kind == "CTI") != (phase != nil) {
				t.Fatalf("a %s course answers phase %v", kind, phase)
			}
		}
	}
	if kinds["CTI"] == 0 || kinds["ORIENTATION"] == 0 {
		t.Fatalf("the demo should have both kinds of course: %v", kinds)
	}
}
