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
	"time"

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
	perReferral := goroutinesPerElement(h, "edges")
	body := serve(t, h, ngoWorker, `{ referrals(first: 20) { edges { node { id status from { code } to { code } history { to actor } } } } }`, nil)
	want := `{"id":"` + globalID("Referral", "r0") + `","status":"REQUESTED","from":{"code":"code of m1"},"to":{"code":"code of n1"},` +
		`"history":[{"to":"REQUESTED","actor":"cw@101"}]}`
	if !strings.Contains(body, want) {
		t.Fatalf("answer %s lacks the first referral %s", body, want)
	}
	oneGoroutineEach(t, perReferral, 20)
}

// goroutinesPerElement records, for each element of the list field named
// list at the operation's second level, the goroutines its fields ran in.
func goroutinesPerElement(h *handler.Server, list string) map[string]map[string]bool {
	var mu sync.Mutex
	per := map[string]map[string]bool{} // element index → goroutines
	h.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
		path := graphql.GetFieldContext(ctx).Path()
		if len(path) > 3 && fmt.Sprint(path[1]) == list {
			i := fmt.Sprint(path[2])
			mu.Lock()
			if per[i] == nil {
				per[i] = map[string]bool{}
			}
			per[i][goroutineID()] = true
			mu.Unlock()
		}
		return next(ctx)
	})
	return per
}

// oneGoroutineEach checks that n elements were resolved, each in one
// goroutine of its own.
func oneGoroutineEach(t *testing.T, per map[string]map[string]bool, n int) {
	t.Helper()
	if len(per) != n {
		t.Fatalf("fields of %d elements resolved, want %d", len(per), n)
	}
	all := map[string]bool{}
	for i, gs := range per {
		if len(gs) != 1 {
			t.Errorf("the fields of element %s ran in %d goroutines, want 1", i, len(gs))
		}
		for g := range gs {
			all[g] = true
		}
	}
	if len(all) != n {
		t.Fatalf("the list's %d elements were resolved in %d goroutines, want one each", n, len(all))
	}
}

// serve posts query as p and returns the answer, which must carry no
// errors.
func serve(t *testing.T, h *handler.Server, p *exithub.Principal, query string, vars map[string]any) string {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req = req.WithContext(exithub.NewContextWithPrincipal(req.Context(), p))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
		t.Fatalf("answer %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// monthStatistics is a StatisticsService that has one release: the
// persons by serving and by home municipality, rows of CTI and of
// orientation for each of n municipalities.
type monthStatistics struct {
	exithub.StatisticsService
	n int
}

func (s monthStatistics) Release(_ context.Context, m exithub.Month, _ int, _ func(exithub.ReleaseSource) (exithub.Release, error)) (exithub.Release, error) {
	rel := exithub.Release{Month: m, Tables: map[exithub.TableID][]exithub.ReleaseCell{}}
	for _, d := range []exithub.Dimension{exithub.DimMunicipality, exithub.DimHomeMunicipality} {
		t := exithub.PersonsTable([]exithub.Dimension{d})
		for i := range s.n {
			m := fmt.Sprintf("m%d", i)
			for _, key := range []string{exithub.CellKeyOf(string(exithub.HelpCTI), string(exithub.CourseOpen), string(exithub.TrackExit), m),
				exithub.CellKeyOf(string(exithub.HelpOrientation), "", "", m)} {
				rel.Tables[t] = append(rel.Tables[t], exithub.ReleaseCell{Key: key, Cell: exithub.Cell{Suppressed: true}})
			}
		}
	}
	return rel, nil
}

// resolversUnder records the fields under the list field named list at the
// operation's second level that gqlgen ran as resolvers.
func resolversUnder(h *handler.Server, list string) *[]string {
	var mu sync.Mutex
	var names []string
	h.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if path := fc.Path(); len(path) > 3 && fmt.Sprint(path[1]) == list && fc.IsResolver {
			mu.Lock()
			names = append(names, fc.Field.Name)
			mu.Unlock()
		}
		return next(ctx)
	})
	return &names
}

// A month's statistics by municipality name each row's municipality from
// the directory as a plain field, filled by the resolver that read the
// rows: no resolver runs per row, each row's fields are resolved in the one
// goroutine gqlgen starts for it, and each names its own organisation.
func TestAMonthByMunicipalityNamesEachRowsMunicipalityWithoutAResolver(t *testing.T) {
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	gate := &exithub.Gate{Privacy: exithub.DefaultPrivacy, Service: monthStatistics{n: 30}, Now: time.Now}
	analyst := &exithub.Principal{Sub: "a@ministry", Role: exithub.RoleAnalyst, Org: exithub.Organisation{ID: "min", Code: "ministry", Kind: exithub.KindMinistry}}
	vars := map[string]any{"d": gate.LastReleased().Last().String()}
	for _, g := range []struct{ dim, field string }{{"MUNICIPALITY", "municipality"}, {"HOME_MUNICIPALITY", "homeMunicipality"}} {
		h := handler.New(graph.NewExecutableSchema(graph.Config{
			Resolvers:  &graph.Resolver{Services: graph.Services{Directory: inboxDirectory{}}, Gate: gate, Authz: authz},
			Directives: graph.Directives(authz, func(context.Context, *exithub.Principal, string) {}),
		}))
		h.AddTransport(transport.POST{})
		perRow := goroutinesPerElement(h, "categories")
		resolvers := resolversUnder(h, "categories")
		query := `query($d: Date!) { statistics(asOf: $d, groupBy: [` + g.dim + `]) { categories { category ` + g.field + ` { code } persons { suppressed } } } }`
		body := serve(t, h, analyst, query, vars)
		for _, i := range []int{0, 29} {
			for _, category := range []string{"CTI", "ORIENTATION"} {
				want := fmt.Sprintf(`{"category":"%s","%s":{"code":"code of m%d"},"persons":{"suppressed":true}}`, category, g.field, i)
				if !strings.Contains(body, want) {
					t.Fatalf("groupBy %s: answer %s lacks row %s", g.dim, body, want)
				}
			}
		}
		oneGoroutineEach(t, perRow, 60)
		if len(*resolvers) != 0 {
			t.Fatalf("groupBy %s: %d fields of the rows ran as resolvers (%s), want none", g.dim, len(*resolvers), (*resolvers)[0])
		}
	}
}
