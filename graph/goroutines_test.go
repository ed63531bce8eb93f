package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"exithub"
	"exithub/graph"
	"exithub/policy"
)

// goroutineID is the running goroutine's number, from its stack's header
// ("goroutine 42 [running]:").
func goroutineID() string {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	return string(b[:bytes.IndexByte(b, ' ')])
}

// inboxDirectory is the directory of the inbox test: every organisation is
// known.
type inboxDirectory struct{ exithub.DirectoryService }

func (inboxDirectory) OrganisationByID(_ context.Context, id string) (*exithub.Organisation, error) {
	return &exithub.Organisation{ID: id, Code: "code of " + id, Kind: exithub.KindNGO}, nil
}

// The inbox's fields that are in memory (ids, organisations from the
// directory, the page's history) are plain fields: each referral's fields
// are resolved in the one goroutine gqlgen starts for its edge, so a page
// of 20 starts 20 goroutines, not one more per field. (gqlgen marshals
// every list of objects longer than one with a goroutine per element, and
// has no supported way to do it serially: a history of several transitions
// still costs one each. Each referral here has one, and a note, which is
// not history.)
func TestTheInboxResolvesEachReferralInOneGoroutine(t *testing.T) {
	f := &fakeReferrals{}
	to, requested := "n1", exithub.StatusRequested
	for i := range 20 {
		r := referral(fmt.Sprintf("r%d", i))
		r.FromID, r.ToID = "m1", &to
		r.Events = []*exithub.ReferralEvent{
			{Kind: "TRANSITION", To: &requested, ActorSub: "cw@101", ActorOrgID: "m1"},
			{Kind: "NOTE", ActorSub: "w@901", ActorOrgID: "n1"},
		}
		f.rows = append(f.rows, r)
		f.info.Cursors = append(f.info.Cursors, "c"+r.ID)
	}
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	h := handler.New(graph.NewExecutableSchema(graph.Config{
		Resolvers:  &graph.Resolver{Services: graph.Services{Referrals: f, Directory: inboxDirectory{}}, Authz: authz},
		Directives: graph.Directives(authz, func(context.Context, *exithub.Principal, string) {}),
	}))
	h.AddTransport(transport.POST{})
	var mu sync.Mutex
	perReferral := map[string]map[string]bool{} // edge index → goroutines its fields ran in
	h.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
		path := graphql.GetFieldContext(ctx).Path()
		if len(path) > 4 && fmt.Sprint(path[1]) == "edges" {
			edge := fmt.Sprint(path[2])
			mu.Lock()
			if perReferral[edge] == nil {
				perReferral[edge] = map[string]bool{}
			}
			perReferral[edge][goroutineID()] = true
			mu.Unlock()
		}
		return next(ctx)
	})
	query := `{ referrals(first: 20) { edges { node { id status from { code } to { code } history { to actor } } } } }`
	body, err := json.Marshal(map[string]any{"query": query})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req = req.WithContext(exithub.NewContextWithPrincipal(req.Context(), ngoWorker))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
		t.Fatalf("answer %d: %s", rec.Code, rec.Body)
	}
	want := `{"id":"` + globalID("Referral", "r0") + `","status":"REQUESTED","from":{"code":"code of m1"},"to":{"code":"code of n1"},` +
		`"history":[{"to":"REQUESTED","actor":"cw@101"}]}`
	if !strings.Contains(rec.Body.String(), want) {
		t.Fatalf("answer %s lacks the first referral %s", rec.Body, want)
	}
	if len(perReferral) != 20 {
		t.Fatalf("fields of %d referrals resolved, want 20", len(perReferral))
	}
	all := map[string]bool{}
	for edge, gs := range perReferral {
		if len(gs) != 1 {
			t.Errorf("the fields of edge %s ran in %d goroutines, want 1", edge, len(gs))
		}
		for g := range gs {
			all[g] = true
		}
	}
	if len(all) != 20 {
		t.Fatalf("the page's referrals were resolved in %d goroutines, want one each (20)", len(all))
	}
}
