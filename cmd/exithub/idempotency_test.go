package main

import (
	"testing"

	"exithub"
)

// TestReusedKeyWithOtherInputIsConflict: a key names one write; the same
// key with other input is CONFLICT on idempotencyKey, not the first result
// and never NOT_FOUND, and writes nothing.
func TestReusedKeyWithOtherInputIsConflict(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	in := map[string]any{"citizenId": f.citizenID, "to": "reden", "needs": []string{"HEALTH"}, "message": "first",
		"contact": "c", "idempotencyKey": "reuse-1"}
	first := h.must(f.cw, referMutation, map[string]any{"in": in})
	again := h.must(f.cw, referMutation, map[string]any{"in": in})
	if get(first, "createReferral", "id") != get(again, "createReferral", "id") {
		t.Fatalf("the same key and input gave two referrals: %v and %v", first, again)
	}
	in["message"] = "second"
	r := h.do(f.cw, referMutation, map[string]any{"in": in})
	if r.code() != exithub.ECONFLICT || r.Errors[0].Extensions["field"] != "idempotencyKey" {
		t.Fatalf("a reused key with other input: %s; want CONFLICT on idempotencyKey", r.raw)
	}
}
