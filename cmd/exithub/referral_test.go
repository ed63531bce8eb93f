package main

import (
	"fmt"
	"sync"
	"testing"

	"exithub"
)

const registerMutation = `mutation($in: RegisterCitizenInput!) { registerCitizen(input: $in) { id alias anonymous } }`
const consentMutation = `mutation($in: GiveConsentInput!) { giveConsent(input: $in) { id } }`
const referMutation = `mutation($in: CreateReferralInput!) { createReferral(input: $in) { id status version } }`

// referralFixture is a citizen of København with a consent to share with
// one NGO, and a referral to it.
type referralFixture struct {
	h                              *hub
	cw, ngo, otherNGO, analyst     string
	citizenID, consentID, referral string
}

func newReferral(t *testing.T, h *hub, ngo string) referralFixture {
	t.Helper()
	f := referralFixture{h: h, cw: h.token("101", exithub.RoleCaseworker), ngo: h.token(ngo, exithub.RoleNGOWorker),
		otherNGO: h.token("kirkens-korshaer", exithub.RoleNGOWorker), analyst: h.token("ministry", exithub.RoleAnalyst)}
	d := h.must(f.cw, registerMutation, map[string]any{"in": map[string]any{"cpr": "010190-1234", "alias": "Maja"}})
	f.citizenID = get(d, "registerCitizen", "id").(string)
	d = h.must(f.cw, consentMutation, map[string]any{"in": map[string]any{"citizenId": f.citizenID, "ngo": ngo,
		"purpose": "exit support", "details": []string{"ALIAS", "HOUSING"}, "givenOn": "2026-01-01", "expiresOn": "2099-12-31"}})
	f.consentID = get(d, "giveConsent", "id").(string)
	d = h.must(f.cw, referMutation, map[string]any{"in": map[string]any{"citizenId": f.citizenID, "to": ngo,
		"needs": []string{"HOUSING"}, "message": "Needs a place to live", "contact": "cw@kk.dk",
		"sharedDetails": []map[string]any{{"kind": "ALIAS", "value": "Maja"}}}})
	f.referral = get(d, "createReferral", "id").(string)
	return f
}

func (f referralFixture) transition(token, action string, extra map[string]any) gqlResponse {
	in := map[string]any{"id": f.referral}
	for k, v := range extra {
		in[k] = v
	}
	q := fmt.Sprintf(`mutation($in: ReferralTransitionInput!) { %sReferral(input: $in) { status version } }`, action)
	return f.h.do(token, q, map[string]any{"in": in})
}

func TestReferralLifecycleClosesTheLoop(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	steps := []struct{ action, want string }{{"receive", "RECEIVED"}, {"accept", "ACCEPTED"}, {"start", "IN_PROGRESS"}}
	for _, s := range steps {
		r := f.transition(f.ngo, s.action, nil)
		if got := get(r.Data, s.action+"Referral", "status"); got != s.want {
			t.Fatalf("%s: got %v (%s)", s.action, got, r.raw)
		}
	}
	h.must(f.ngo, `mutation($id: ID!) { addReferralNote(input: {id: $id, text: "Viewing a flat on Monday"}) { text } }`, map[string]any{"id": f.referral})
	if r := f.transition(f.ngo, "complete", map[string]any{"outcome": "housed"}); get(r.Data, "completeReferral", "status") != "COMPLETED" {
		t.Fatalf("complete: %s", r.raw)
	}
	d := h.must(f.cw, `query($id: ID!) { referral(id: $id) { status outcome notes { text actor } history { from to actor } } }`, map[string]any{"id": f.referral})
	hist := get(d, "referral", "history").([]any)
	if len(hist) != 5 || get(hist, 4, "to") != "COMPLETED" || get(d, "referral", "notes", 0, "text") != "Viewing a flat on Monday" {
		t.Fatalf("the municipality does not see the loop closed: %v", d)
	}
}

func TestIllegalTransitionsAreRefused(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	cases := []struct {
		name, token, action string
		extra               map[string]any
		code                string
	}{
		{"accept before receive", f.ngo, "accept", nil, exithub.ECONFLICT},
		{"complete before start", f.ngo, "complete", map[string]any{"outcome": "x"}, exithub.ECONFLICT},
		{"municipality cannot accept", f.cw, "accept", nil, exithub.EFORBIDDEN},
		{"NGO cannot cancel", f.ngo, "cancel", map[string]any{"reason": "x"}, exithub.EFORBIDDEN},
		{"other NGO sees nothing", f.otherNGO, "receive", nil, exithub.ENOTFOUND},
		{"ministry is forbidden", f.analyst, "receive", nil, exithub.EFORBIDDEN},
		{"reject needs a reason", f.ngo, "reject", nil, exithub.EINVALID},
		{"stale version", f.ngo, "receive", map[string]any{"expectedVersion": 7}, exithub.ECONFLICT},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if r := f.transition(c.token, c.action, c.extra); r.code() != c.code {
				t.Fatalf("got %s, want %s: %s", r.code(), c.code, r.raw)
			}
		})
	}
	d := h.must(f.cw, `query($id: ID!) { referral(id: $id) { status version } }`, map[string]any{"id": f.referral})
	if get(d, "referral", "status") != "REQUESTED" || get(d, "referral", "version") != float64(1) {
		t.Fatalf("refused transitions changed the referral: %v", d)
	}
}

func TestOtherNGOGetsWhatANonexistentIDGets(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	q := `query($id: ID!) { referral(id: $id) { id } node(id: $id) { id } }`
	other := h.do(f.otherNGO, q, map[string]any{"id": f.referral})
	missing := h.do(f.otherNGO, q, map[string]any{"id": "UmVmZXJyYWw6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw"})
	if string(other.raw) != string(missing.raw) {
		t.Fatalf("another NGO's referral answers %s, a missing one %s", other.raw, missing.raw)
	}
	inbox := h.must(f.otherNGO, `{ referrals(first: 100) { edges { node { id to { code } } } } }`, nil)
	for _, e := range get(inbox, "referrals", "edges").([]any) {
		if get(e, "node", "id") == f.referral || get(e, "node", "to", "code") != "kirkens-korshaer" {
			t.Fatalf("another NGO's inbox shows %v", e)
		}
	}
}

func TestIdempotentCreateReturnsTheFirstResult(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	in := map[string]any{"citizenId": f.citizenID, "to": "reden", "needs": []string{"HEALTH"}, "message": "m",
		"contact": "c", "idempotencyKey": "retry-1"}
	inbox := func() int {
		d := h.must(f.ngo, `{ referrals(first: 100) { edges { node { id } } } }`, nil)
		return len(get(d, "referrals", "edges").([]any))
	}
	before := inbox()
	answers := make([]gqlResponse, 5)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = h.do(f.cw, referMutation, map[string]any{"in": in})
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, r := range answers {
		id, ok := get(r.Data, "createReferral", "id").(string)
		if len(r.Errors) > 0 || !ok || id == "" {
			t.Fatalf("a retry with the key failed instead of answering the referral: %s", r.raw)
		}
		ids[id] = true
	}
	if len(ids) != 1 {
		t.Fatalf("5 retries with one key gave %d different referrals: %v", len(ids), ids)
	}
	if after := inbox(); after != before+1 {
		t.Fatalf("inbox went from %d to %d referrals; 5 retries with one key must add exactly 1", before, after)
	}
}

func TestConcurrentTransitionsExactlyOneWins(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	f.transition(f.ngo, "receive", nil)
	var wg sync.WaitGroup
	results := make(chan gqlResponse, 10)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			action := []string{"accept", "reject"}[i%2]
			results <- f.transition(f.ngo, action, map[string]any{"reason": "busy"})
		}(i)
	}
	wg.Wait()
	close(results)
	wins := 0
	for r := range results {
		if len(r.Errors) == 0 {
			wins++
		} else if r.code() != exithub.ECONFLICT {
			t.Errorf("loser got %s, want CONFLICT", r.raw)
		}
	}
	if wins != 1 {
		t.Fatalf("%d concurrent transitions won; want exactly 1", wins)
	}
}

func TestWithdrawingConsentCancelsAndErases(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	h.must(f.cw, `mutation($id: ID!) { withdrawConsent(input: {consentId: $id}) { withdrawnAt } }`, map[string]any{"id": f.consentID})
	d := h.must(f.ngo, `query($id: ID!) { referral(id: $id) { status sharedDetails { kind value } history { to reason } } }`, map[string]any{"id": f.referral})
	if get(d, "referral", "status") != "CANCELLED" || len(get(d, "referral", "sharedDetails").([]any)) != 0 {
		t.Fatalf("after withdrawal the NGO sees %v", d)
	}
	// The reason the schema names for this cancel, which clients rely on.
	history := get(d, "referral", "history").([]any)
	if last := history[len(history)-1]; get(last, "to") != "CANCELLED" || get(last, "reason") != "consent withdrawn" {
		t.Fatalf("the cancel's history entry: %v; want CANCELLED for \"consent withdrawn\"", last)
	}
	r := h.do(f.cw, referMutation, map[string]any{"in": map[string]any{"citizenId": f.citizenID, "to": "reden",
		"needs": []string{"HOUSING"}, "message": "again", "contact": "c"}})
	if r.code() != exithub.EINVALID {
		t.Fatalf("a referral without valid consent: %s", r.raw)
	}
}

func TestTransferHandsOverTheCitizen(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	aarhus := h.token("751", exithub.RoleCaseworker)
	h.must(f.cw, `mutation($id: ID!) { transferCitizen(input: {citizenId: $id, to: "751", reason: "moved"}) { to { code } } }`, map[string]any{"id": f.citizenID})
	q := `query($id: ID!) { citizen(id: $id) { alias servingMunicipality { code } } }`
	if d := h.must(f.cw, q, map[string]any{"id": f.citizenID}); get(d, "citizen") != nil {
		t.Fatalf("the old municipality still sees the citizen: %v", d)
	}
	d := h.must(aarhus, q, map[string]any{"id": f.citizenID})
	if get(d, "citizen", "servingMunicipality", "code") != "751" {
		t.Fatalf("the new municipality does not see the citizen: %v", d)
	}
	d = h.must(aarhus, `{ referrals { edges { node { id from { code } } } } }`, nil)
	if get(d, "referrals", "edges", 0, "node", "id") != f.referral {
		t.Fatalf("the history did not move with the citizen: %v", d)
	}
}

func TestSameCPRSameMunicipalityIsSameCitizen(t *testing.T) {
	h := startHub(t)
	cw := h.token("101", exithub.RoleCaseworker)
	in := map[string]any{"in": map[string]any{"cpr": "2905851111", "alias": "A"}}
	a := get(h.must(cw, registerMutation, in), "registerCitizen", "id")
	b := get(h.must(cw, registerMutation, in), "registerCitizen", "id")
	c := get(h.must(h.token("751", exithub.RoleCaseworker), registerMutation, in), "registerCitizen", "id")
	if a != b || a == c {
		t.Fatalf("ids %v %v %v: want the first two equal and the third (another municipality) different", a, b, c)
	}
	for _, bad := range []string{"3102851111", "12345", "abcdefghij"} {
		r := h.do(cw, registerMutation, map[string]any{"in": map[string]any{"cpr": bad, "alias": "A"}})
		if r.code() != exithub.EINVALID || get(r.Errors[0].Extensions, "field") != "cpr" {
			t.Fatalf("cpr %s: %s", bad, r.raw)
		}
	}
}
