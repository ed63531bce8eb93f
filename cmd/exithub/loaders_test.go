package main

import (
	"testing"

	"exithub"
)

// TestLoadersAnswerEmptyListsForKeysWithoutRows: every list a loader fills
// (a citizen's consents and courses, a referral's history and notes) is an
// empty list for a key with no rows, never an error that nulls the page.
func TestLoadersAnswerEmptyListsForKeysWithoutRows(t *testing.T) {
	h := startHub(t)
	cw := h.token("101", exithub.RoleCaseworker)
	d := h.must(cw, registerMutation, map[string]any{"in": map[string]any{"alias": "Without anything"}})
	id := get(d, "registerCitizen", "id").(string)
	d = h.must(cw, `{ citizens(first: 100) { edges { node { id consents { id } courses { id } } } } }`, nil)
	edges, _ := get(d, "citizens", "edges").([]any)
	bare := 0
	for _, e := range edges {
		if len(get(e, "node", "consents").([]any)) == 0 {
			bare++
		}
		if get(e, "node", "id") == id && len(get(e, "node", "courses").([]any)) != 0 {
			t.Fatalf("a new citizen has courses: %v", e)
		}
	}
	if len(edges) < 2 || bare == 0 {
		t.Fatalf("want citizens with and without consents, got %d of which %d without: %v", len(edges), bare, d)
	}
	h.must(cw, `{ referrals(first: 100) { edges { node { id history { to } notes { text } } } } }`, nil)
}
