package graph_test

import (
	"reflect"
	"testing"

	"exithub"
	"exithub/graph"
)

// ngoWorker works for NGO n1, to which referrals are addressed.
var ngoWorker = &exithub.Principal{Sub: "w@901", Role: exithub.RoleNGOWorker, Org: exithub.Organisation{ID: "n1", Code: "901", Kind: exithub.KindNGO}}

func TestCreateReferralHandsTheInputToTheService(t *testing.T) {
	f := &fakeReferrals{}
	out := runAs(t, caseworker, graph.Services{Referrals: f},
		`mutation($in: CreateReferralInput!) { createReferral(input: $in) { id status version } }`,
		map[string]any{"in": map[string]any{
			"citizenId": globalID("Citizen", "c1"), "to": "901", "needs": []string{"HOUSING", "FINANCES"},
			"message": "hello", "contact": "cw@101.dk", "idempotencyKey": "key-1",
			"sharedDetails": []map[string]any{{"kind": "ALIAS", "value": "A"}},
		}})
	want := exithub.CreateReferral{CitizenID: "c1", ToCode: "901", Needs: []exithub.Need{exithub.Need("HOUSING"), exithub.Need("FINANCES")},
		Message: "hello", Contact: "cw@101.dk", IdempotencyKey: "key-1",
		SharedDetails: []exithub.SharedDetail{{Kind: exithub.DetailKind("ALIAS"), Value: "A"}}}
	if len(f.created) != 1 || !reflect.DeepEqual(f.created[0], want) {
		t.Fatalf("the service was asked to create %+v, want %+v", f.created, want)
	}
	if out["errors"] != nil {
		t.Fatalf("errors: %v", out["errors"])
	}
	if id := at(t, out, "data", "createReferral", "id"); id != globalID("Referral", "r1") {
		t.Fatalf("id %v, want the referral's global id", id)
	}
	if st := at(t, out, "data", "createReferral", "status"); st != "REQUESTED" {
		t.Fatalf("status %v", st)
	}
}

// Each transition mutation asks the service for its own action, with the
// referral's row id, the version and the reason and outcome as given.
func TestEachTransitionAsksForItsAction(t *testing.T) {
	for _, c := range []struct {
		mutation string
		as       *exithub.Principal
		act      exithub.Action
	}{
		{"receiveReferral", ngoWorker, exithub.ActReceive},
		{"acceptReferral", ngoWorker, exithub.ActAccept},
		{"rejectReferral", ngoWorker, exithub.ActReject},
		{"startReferral", ngoWorker, exithub.ActStart},
		{"completeReferral", ngoWorker, exithub.ActComplete},
		{"failReferral", ngoWorker, exithub.ActFail},
		{"cancelReferral", caseworker, exithub.ActCancel},
	} {
		t.Run(c.mutation, func(t *testing.T) {
			f := &fakeReferrals{}
			out := runAs(t, c.as, graph.Services{Referrals: f},
				`mutation($in: ReferralTransitionInput!) { `+c.mutation+`(input: $in) { id version } }`,
				map[string]any{"in": map[string]any{"id": globalID("Referral", "r7"), "expectedVersion": 1, "reason": "why", "outcome": "done"}})
			if out["errors"] != nil {
				t.Fatalf("errors: %v", out["errors"])
			}
			if len(f.transitions) != 1 {
				t.Fatalf("transitions asked: %+v", f.transitions)
			}
			got := f.transitions[0]
			if got.Action != c.act || got.ReferralID != "r7" || got.ExpectedVersion == nil || *got.ExpectedVersion != 1 ||
				got.Reason != "why" || got.Outcome != "done" {
				t.Fatalf("asked %+v, want %s of r7 at version 1 with its reason and outcome", got, c.act)
			}
			if v := at(t, out, "data", c.mutation, "version"); v != 2.0 {
				t.Fatalf("version %v, want the service's 2", v)
			}
		})
	}
}

// A transition without expectedVersion asks for none, rather than for
// version 0.
func TestATransitionWithoutAVersionAsksForNone(t *testing.T) {
	f := &fakeReferrals{}
	runAs(t, ngoWorker, graph.Services{Referrals: f},
		`mutation { receiveReferral(input: {id: "`+globalID("Referral", "r7")+`"}) { id } }`, nil)
	if len(f.transitions) != 1 || f.transitions[0].ExpectedVersion != nil {
		t.Fatalf("transitions asked: %+v", f.transitions)
	}
}

func TestGiveConsentHandsTheInputAndItsIdempotencyKeyToTheService(t *testing.T) {
	f := &fakeConsents{}
	out := runAs(t, caseworker, graph.Services{Consents: f},
		`mutation { giveConsent(input: {citizenId: "`+globalID("Citizen", "c1")+`", ngo: "901", purpose: "help",
		  details: [ALIAS, AGE], givenOn: "2024-03-01", expiresOn: "2025-02-28", idempotencyKey: "key-2"}) { id givenOn expiresOn } }`, nil)
	if out["errors"] != nil {
		t.Fatalf("errors: %v", out["errors"])
	}
	want := exithub.GiveConsent{CitizenID: "c1", NGOCode: "901", Purpose: "help",
		Details: []exithub.DetailKind{"ALIAS", "AGE"}, GivenOn: exithub.Date{Year: 2024, Month: 3, Day: 1},
		ExpiresOn: exithub.Date{Year: 2025, Month: 2, Day: 28}, IdempotencyKey: "key-2"}
	if len(f.given) != 1 || !reflect.DeepEqual(f.given[0], want) {
		t.Fatalf("the service was given %+v, want %+v", f.given, want)
	}
	if id, on := at(t, out, "data", "giveConsent", "id"), at(t, out, "data", "giveConsent", "givenOn"); id != globalID("Consent", "k1") || on != "2024-03-01" {
		t.Fatalf("answered id %v givenOn %v", id, on)
	}
}

// A day the Date scalar cannot read is BAD_USER_INPUT naming the argument
// that held it, not the scalar's type, and reaches no service.
func TestABadDateNamesItsArgument(t *testing.T) {
	f := &fakeConsents{}
	out := runAs(t, caseworker, graph.Services{Consents: f},
		`mutation { giveConsent(input: {citizenId: "`+globalID("Citizen", "c1")+`", ngo: "901", purpose: "help",
		  details: [ALIAS], givenOn: "2024-02-30", expiresOn: "2025-02-28"}) { id } }`, nil)
	_, ext := onlyError(t, out)
	if ext["code"] != exithub.EINVALID || ext["field"] != "givenOn" {
		t.Fatalf("extensions %v, want BAD_USER_INPUT naming givenOn", ext)
	}
	if len(f.given) != 0 {
		t.Fatalf("the service was given %+v", f.given)
	}
}

// A domain error of a mutation reaches the client with its code, message
// and field, and the mutation's answer is null.
func TestAMutationsDomainErrorNamesItsField(t *testing.T) {
	f := &fakeReferrals{err: exithub.Invalid("sharedDetails", "the consent does not cover AGE")}
	out := runAs(t, caseworker, graph.Services{Referrals: f},
		`mutation { createReferral(input: {citizenId: "`+globalID("Citizen", "c1")+`", to: "901", needs: [HOUSING], message: "m", contact: "c"}) { id } }`, nil)
	msg, ext := onlyError(t, out)
	if msg != "the consent does not cover AGE" || ext["code"] != exithub.EINVALID || ext["field"] != "sharedDetails" {
		t.Fatalf("message %q, extensions %v", msg, ext)
	}
	if out["data"] != nil {
		t.Fatalf("data: %v", out["data"])
	}
}
