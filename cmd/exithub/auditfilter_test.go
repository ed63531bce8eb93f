package main

import (
	"testing"

	"exithub"
	"exithub/graph/relay"
)

// An audit log asked for one citizen whose id is not a citizen's, or names
// no citizen the caller can find, is refused on citizenId; the filter is
// never dropped, which would answer with the records of every citizen.
func TestAnAuditLogFilterOnABadCitizenIsRefused(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	auditor := h.token("101", exithub.RoleAuditor)
	query := `query($c: ID!) { auditLog(filter: {citizenId: $c}) { edges { node { sub } } } }`
	for name, id := range map[string]string{
		"a referral's id": f.referral,
		"not an id":       "citizen-1",
		"no such citizen": relay.ID("Citizen", "00000000-0000-4000-8000-000000000000"),
	} {
		r := h.do(auditor, query, map[string]any{"c": id})
		if r.code() != exithub.EINVALID || r.Errors[0].Extensions["field"] != "citizenId" {
			t.Errorf("%s: %s; want BAD_USER_INPUT on citizenId", name, r.raw)
		}
	}
	mine := h.must(auditor, query, map[string]any{"c": f.citizenID})
	if len(get(mine, "auditLog", "edges").([]any)) == 0 {
		t.Fatalf("the citizen's own records are not found: %v", mine)
	}
}
