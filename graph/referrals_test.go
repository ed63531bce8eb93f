package graph_test

import (
	"context"
	"encoding/json"
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

// eventsReferrals answers FindReferral and TransitionReferral with a
// referral from m1 to n1 whose events the read did not bring, and its
// events when asked for them.
type eventsReferrals struct {
	fakeReferrals
	eventsAsked [][]string
}

func (f *eventsReferrals) FindReferral(ctx context.Context, id string) (*exithub.Referral, error) {
	r, err := f.fakeReferrals.FindReferral(ctx, id)
	if err != nil {
		return nil, err
	}
	r.FromID, r.ToID = "m1", ptr("n1")
	return r, nil
}

func (f *eventsReferrals) TransitionReferral(ctx context.Context, t exithub.Transition) (*exithub.Referral, error) {
	r, err := f.fakeReferrals.TransitionReferral(ctx, t)
	if err != nil {
		return nil, err
	}
	r.FromID, r.ToID = "m1", ptr("n1")
	return r, nil
}

func (f *eventsReferrals) ReferralEvents(_ context.Context, ids []string) (map[string][]*exithub.ReferralEvent, error) {
	f.eventsAsked = append(f.eventsAsked, ids)
	requested := exithub.StatusRequested
	m := map[string][]*exithub.ReferralEvent{}
	for _, id := range ids {
		m[id] = []*exithub.ReferralEvent{
			{ReferralID: id, Kind: "TRANSITION", To: &requested, ActorSub: "cw@101", ActorOrgID: "m1"},
			{ReferralID: id, Kind: "NOTE", Text: ptr("a note on " + id), ActorSub: "w@901", ActorOrgID: "n1"},
		}
	}
	return m, nil
}

// A referral read on its own (referral, node, a mutation's answer) gets its
// organisations from the directory and its history and notes through the
// loader, once, when the operation asks for them; not at all when not.
func TestASingleReferralReadsWhatItIsAskedFor(t *testing.T) {
	for _, c := range []struct {
		name, query string
		path        []any
	}{
		{"referral", `{ referral(id: "` + globalID("Referral", "r1") + `") { id from { code } to { code } history { to actor } notes { text } } }`, []any{"data", "referral"}},
		{"node", `{ node(id: "` + globalID("Referral", "r1") + `") { id ... on Referral { from { code } to { code } history { to actor } notes { text } } } }`, []any{"data", "node"}},
		{"mutation", `mutation { receiveReferral(input: {id: "` + globalID("Referral", "r1") + `"}) { id from { code } to { code } history { to actor } notes { text } } }`, []any{"data", "receiveReferral"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &eventsReferrals{}
			out := runAs(t, ngoWorker, graph.Services{Referrals: f, Directory: codeDirectory{}}, c.query, nil)
			if out["errors"] != nil {
				t.Fatalf("errors: %v", out["errors"])
			}
			got, err := json.Marshal(at(t, out, c.path...))
			if err != nil {
				t.Fatal(err)
			}
			want := `{"from":{"code":"code of m1"},"history":[{"actor":"cw@101","to":"REQUESTED"}],"id":"` + globalID("Referral", "r1") +
				`","notes":[{"text":"a note on r1"}],"to":{"code":"code of n1"}}`
			if string(got) != want {
				t.Fatalf("answered %s, want %s", got, want)
			}
			if len(f.eventsAsked) != 1 || len(f.eventsAsked[0]) != 1 || f.eventsAsked[0][0] != "r1" {
				t.Fatalf("events asked for %v, want r1's once", f.eventsAsked)
			}
		})
	}
	// Nothing asked, nothing read: a nil directory would panic.
	f := &eventsReferrals{}
	out := runAs(t, ngoWorker, graph.Services{Referrals: f}, `{ referral(id: "`+globalID("Referral", "r1")+`") { id status } }`, nil)
	if out["errors"] != nil || len(f.eventsAsked) != 0 {
		t.Fatalf("errors %v, events asked for %v", out["errors"], f.eventsAsked)
	}
}

// codeDirectory knows every organisation.
type codeDirectory struct{ exithub.DirectoryService }

func (codeDirectory) OrganisationByID(_ context.Context, id string) (*exithub.Organisation, error) {
	return &exithub.Organisation{ID: id, Code: "code of " + id, Kind: exithub.KindNGO}, nil
}

// countingDirectory counts the lookups it answers.
type countingDirectory struct {
	codeDirectory
	asked []string
}

func (d *countingDirectory) OrganisationByID(ctx context.Context, id string) (*exithub.Organisation, error) {
	d.asked = append(d.asked, id)
	return d.codeDirectory.OrganisationByID(ctx, id)
}

// A page looks each organisation it names up once, however many of its
// rows name it.
func TestAPageLooksEachOrganisationUpOnce(t *testing.T) {
	f := &fakeReferrals{}
	for i := range 20 {
		r := referral(string(rune('a' + i)))
		r.FromID, r.ToID = []string{"m1", "m2"}[i%2], ptr("n1")
		f.rows = append(f.rows, r)
		f.info.Cursors = append(f.info.Cursors, "c"+r.ID)
	}
	d := &countingDirectory{}
	out := runAs(t, ngoWorker, graph.Services{Referrals: f, Directory: d},
		`{ referrals(first: 20) { edges { node { from { code } to { code } } } } }`, nil)
	if out["errors"] != nil {
		t.Fatalf("errors: %v", out["errors"])
	}
	if c := at(t, out, "data", "referrals", "edges", 19, "node", "from", "code"); c != "code of m2" {
		t.Fatalf("the last row's from: %v", c)
	}
	if len(d.asked) != 3 {
		t.Fatalf("the directory was asked for %v, want m1, n1 and m2 once each", d.asked)
	}
}

// The inbox reads only what its answer shows: the events when it shows the
// history or notes, more of them than their states and actors only when it
// shows more, the request's text only when it shows some of it.
func TestTheInboxReadsOnlyWhatItShows(t *testing.T) {
	for _, c := range []struct {
		fields string
		want   exithub.ReferralParts
	}{
		{"id status", exithub.ReferralParts{Brief: true}},
		{"id history { to }", exithub.ReferralParts{Events: true, Brief: true, BriefEvents: true}},
		{"id history { to actor __typename }", exithub.ReferralParts{Events: true, Brief: true, BriefEvents: true}},
		{"id history { to at }", exithub.ReferralParts{Events: true, Brief: true}},
		{"id history { actor actorOrganisation { code } }", exithub.ReferralParts{Events: true, Brief: true}},
		{"id history { to } h: history { from }", exithub.ReferralParts{Events: true, Brief: true}},
		{"id history { to } notes { text }", exithub.ReferralParts{Events: true, Brief: true}},
		{"id notes { actor }", exithub.ReferralParts{Events: true, Brief: true}},
		{"id ... on Referral { message }", exithub.ReferralParts{}},
		{"id needs", exithub.ReferralParts{}},
		{"id sharedDetails { kind }", exithub.ReferralParts{}},
		{"id contact outcome externalOffer history { to }", exithub.ReferralParts{Events: true, BriefEvents: true}},
	} {
		f := &fakeReferrals{}
		out := runAs(t, ngoWorker, graph.Services{Referrals: f}, `{ referrals(first: 5) { edges { node { `+c.fields+` } } } }`, nil)
		if out["errors"] != nil {
			t.Fatalf("%s: errors %v", c.fields, out["errors"])
		}
		if f.parts != c.want {
			t.Errorf("%s: the service was asked for %+v, want %+v", c.fields, f.parts, c.want)
		}
	}
}
