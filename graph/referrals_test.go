package graph_test

import (
	"testing"

	"exithub"
	"exithub/graph"
)

func ptr[T any](v T) *T { return &v }

// The inbox's connection arguments and filter reach the service as a page
// and a filter, and its rows and page info come back as edges with their
// cursors and the referrals' global ids.
func TestReferralsTranslatesThePageFilterAndCursors(t *testing.T) {
	f := &fakeReferrals{
		rows: []*exithub.Referral{referral("r1"), referral("r2")},
		info: exithub.PageInfo{Cursors: []string{"c1", "c2"}, StartCursor: ptr("c1"), EndCursor: ptr("c2"), HasPreviousPage: true},
	}
	out := runAs(t, ngoWorker, graph.Services{Referrals: f},
		`{ referrals(last: 2, before: "c9", filter: {status: ACCEPTED}) {
		    edges { cursor node { id message } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }`, nil)
	if out["errors"] != nil {
		t.Fatalf("errors: %v", out["errors"])
	}
	if f.page != (exithub.Page{Size: 2, Before: "c9", Backward: true}) {
		t.Fatalf("the service was asked for page %+v", f.page)
	}
	if f.filter.Status == nil || *f.filter.Status != exithub.StatusAccepted || f.filter.Since != nil {
		t.Fatalf("the service was asked for filter %+v", f.filter)
	}
	for i, id := range []string{"r1", "r2"} {
		if c := at(t, out, "data", "referrals", "edges", i, "cursor"); c != "c"+id[1:] {
			t.Errorf("edge %d's cursor %v", i, c)
		}
		if gid := at(t, out, "data", "referrals", "edges", i, "node", "id"); gid != globalID("Referral", id) {
			t.Errorf("edge %d's id %v, want %s's global id", i, gid, id)
		}
		if m := at(t, out, "data", "referrals", "edges", i, "node", "message"); m != "message of "+id {
			t.Errorf("edge %d's message %v", i, m)
		}
	}
	info := at(t, out, "data", "referrals", "pageInfo").(map[string]any)
	if info["startCursor"] != "c1" || info["endCursor"] != "c2" || info["hasNextPage"] != false || info["hasPreviousPage"] != true {
		t.Fatalf("pageInfo %v", info)
	}
}

// An empty page has null cursors and no edges.
func TestAnEmptyInboxHasNoCursors(t *testing.T) {
	f := &fakeReferrals{}
	out := runAs(t, ngoWorker, graph.Services{Referrals: f},
		`{ referrals { edges { cursor } pageInfo { startCursor endCursor hasNextPage } } }`, nil)
	if out["errors"] != nil {
		t.Fatalf("errors: %v", out["errors"])
	}
	if f.page != (exithub.Page{Size: exithub.DefaultPageSize}) {
		t.Fatalf("without arguments the service was asked for %+v, want the default page", f.page)
	}
	info := at(t, out, "data", "referrals", "pageInfo").(map[string]any)
	if edges := at(t, out, "data", "referrals", "edges").([]any); len(edges) != 0 || info["startCursor"] != nil || info["endCursor"] != nil {
		t.Fatalf("edges %v, pageInfo %v", edges, info)
	}
}

// A referral that does not exist, or that the caller may not see, reads
// as null, as the schema promises, and tells nothing more.
func TestAReferralNotFoundIsNull(t *testing.T) {
	f := &fakeReferrals{err: exithub.ErrNotFound}
	out := runAs(t, ngoWorker, graph.Services{Referrals: f}, `{ referral(id: "`+globalID("Referral", "r404")+`") { id } }`, nil)
	if out["errors"] != nil {
		t.Fatalf("errors: %v", out["errors"])
	}
	if r := at(t, out, "data", "referral"); r != nil {
		t.Fatalf("referral %v", r)
	}
	if len(f.found) != 1 || f.found[0] != "r404" {
		t.Fatalf("the service was asked for %v", f.found)
	}
}

// A transition of a referral that does not exist is NOT_FOUND: a mutation
// does not answer null.
func TestATransitionOfAMissingReferralIsNotFound(t *testing.T) {
	f := &fakeReferrals{err: exithub.ErrNotFound}
	out := runAs(t, ngoWorker, graph.Services{Referrals: f}, `mutation { acceptReferral(input: {id: "`+globalID("Referral", "r404")+`"}) { id } }`, nil)
	if _, ext := onlyError(t, out); ext["code"] != exithub.ENOTFOUND || ext["field"] != nil {
		t.Fatalf("extensions %v", ext)
	}
}

// The database away: the inbox answers UNAVAILABLE, marked retryable, and
// its (non-null) field's null takes the data with it.
func TestAnUnavailableInboxIsRetryable(t *testing.T) {
	f := &fakeReferrals{err: exithub.Errorf(exithub.EUNAVAILABLE, "the database is unavailable; try again")}
	out := runAs(t, ngoWorker, graph.Services{Referrals: f}, `{ referrals(first: 5) { edges { cursor } } }`, nil)
	msg, ext := onlyError(t, out)
	if ext["code"] != exithub.EUNAVAILABLE || ext["retryable"] != true || msg != "the database is unavailable; try again" {
		t.Fatalf("message %q, extensions %v", msg, ext)
	}
	if out["data"] != nil {
		t.Fatalf("data: %v", out["data"])
	}
}

// A page the domain refuses reaches no service.
func TestABadInboxPageIsRefusedBeforeTheService(t *testing.T) {
	f := &fakeReferrals{}
	out := runAs(t, ngoWorker, graph.Services{Referrals: f}, `{ referrals(first: 2, last: 2) { edges { cursor } } }`, nil)
	if _, ext := onlyError(t, out); ext["code"] != exithub.EINVALID || ext["field"] != "last" {
		t.Fatalf("extensions %v", ext)
	}
	if f.listed != 0 {
		t.Fatalf("the service was asked %d times", f.listed)
	}
}
