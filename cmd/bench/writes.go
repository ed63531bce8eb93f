package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

const (
	registerMutation = `mutation($in: RegisterCitizenInput!) { registerCitizen(input: $in) { id } }`
	consentMutation  = `mutation($in: GiveConsentInput!) { giveConsent(input: $in) { id } }`
	// createMutation names the sender so the answer says which caseworker
	// may cancel the new referral.
	createMutation = `mutation($in: CreateReferralInput!) { createReferral(input: $in) { id from { code } } }`
	cancelMutation = `mutation($in: ReferralTransitionInput!) { cancelReferral(input: $in) { status version } }`
)

// writeNGO is the NGO the caseworkers refer to.
const writeNGO = "ngo-001"

// caseworker is a municipality's caseworker with a citizen who consented
// to share an alias with writeNGO.
type caseworker struct {
	principal
	citizen, alias string
}

// setUpCaseworker registers an anonymous citizen and a consent through the
// hub, as a caseworker does before a first referral; the seed's consents
// lie in the past and no longer hold.
func setUpCaseworker(url string, p principal, runID string) (caseworker, error) {
	cw := caseworker{principal: p, alias: "bench-" + runID + "-" + p.Org}
	d, err := call(url, p, registerMutation, map[string]any{"in": map[string]any{"alias": cw.alias}})
	if err != nil {
		return cw, err
	}
	var reg struct{ RegisterCitizen struct{ ID string } }
	if err := json.Unmarshal(d, &reg); err != nil {
		return cw, err
	}
	cw.citizen = reg.RegisterCitizen.ID
	today := time.Now().UTC().Format(time.DateOnly)
	_, err = call(url, p, consentMutation, map[string]any{"in": map[string]any{"citizenId": cw.citizen, "ngo": writeNGO,
		"purpose": "exit support", "details": []string{"ALIAS"}, "givenOn": today, "expiresOn": "2099-12-31"}})
	return cw, err
}

// created is a referral a write made, for a later write to cancel.
type created struct{ id, org string }

// writes alternates, roughly, a caseworker's createReferral with the
// cancelReferral of a referral made earlier: each answer to a create queues
// its referral, and the next request cancels one when the queue has any.
type writes struct {
	at    *endpoints
	byOrg map[string]caseworker
	cws   []caseworker
	*writeState
}

// writeState outlives a run: idempotency keys must stay unique over the
// whole benchmark, and referrals queued in one run may be cancelled in the
// next.
type writeState struct {
	runID   string
	queue   chan created
	counter atomic.Uint64
}

func newWriteState(runID string) *writeState {
	return &writeState{runID: runID, queue: make(chan created, 100_000)}
}

func newWrites(at *endpoints, cws []caseworker, st *writeState) *writes {
	w := &writes{at: at, cws: cws, byOrg: map[string]caseworker{}, writeState: st}
	for _, c := range cws {
		w.byOrg[c.Org] = c
	}
	return w
}

func (w *writes) scenario() scenario {
	return scenario{Name: "writes", Targeter: w.target, Seen: w.seen}
}

func (w *writes) target(t *vegeta.Target) error {
	n := w.counter.Add(1)
	select {
	case c := <-w.queue:
		fill(t, w.at.pick(), w.byOrg[c.org].principal, gqlBody(cancelMutation,
			map[string]any{"in": map[string]any{"id": c.id, "reason": "benchmark"}}))
	default:
		cw := w.cws[n%uint64(len(w.cws))]
		fill(t, w.at.pick(), cw.principal, gqlBody(createMutation, map[string]any{"in": map[string]any{
			"citizenId": cw.citizen, "to": writeNGO, "needs": []string{"HOUSING"}, "message": "Needs a place to live",
			"contact": "cw@kommune.dk", "sharedDetails": []map[string]any{{"kind": "ALIAS", "value": cw.alias}},
			// Unique per request: a repeated key would return the first referral and write nothing.
			"idempotencyKey": "bench-" + w.runID + "-" + strconv.FormatUint(n, 10)}}))
	}
	return nil
}

// seen queues the referral an answer to a create made.
func (w *writes) seen(r *vegeta.Result) {
	if !bytes.Contains(r.Body, []byte(`"createReferral"`)) {
		return
	}
	var a struct {
		Data struct {
			CreateReferral struct {
				ID   string
				From struct{ Code string }
			}
		}
	}
	if json.Unmarshal(r.Body, &a) != nil || a.Data.CreateReferral.ID == "" {
		return
	}
	select {
	case w.queue <- created{a.Data.CreateReferral.ID, a.Data.CreateReferral.From.Code}:
	default: // full: the referral stays open, which is fine
	}
}

// caseworkerOrgs are the municipalities whose caseworkers write.
func caseworkerOrgs(n int) []string {
	orgs := make([]string, n)
	for i := range orgs {
		orgs[i] = fmt.Sprint(200 + i)
	}
	return orgs
}
