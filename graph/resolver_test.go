package graph_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"exithub"
	"exithub/graph"
	"exithub/policy"
)

// fakeCitizens answers from memory and records the page it was asked for;
// any other method of the service panics (it is nil), so a resolver that
// calls something unexpected fails the test.
type fakeCitizens struct {
	exithub.CitizenService
	rows  []*exithub.Citizen
	info  exithub.PageInfo
	asked exithub.Page
}

func (f *fakeCitizens) FindCitizens(_ context.Context, _ exithub.CitizenFilter, p exithub.Page) ([]*exithub.Citizen, exithub.PageInfo, error) {
	f.asked = p
	return f.rows, f.info, nil
}

func (f *fakeCitizens) FindCitizen(context.Context, string) (*exithub.Citizen, error) {
	return nil, exithub.ErrNotFound
}

// caseworker is a municipal caseworker of municipality m1.
var caseworker = &exithub.Principal{Sub: "cw@101", Role: exithub.RoleCaseworker, Org: exithub.Organisation{ID: "m1", Code: "101", Kind: exithub.KindMunicipality}}

// run executes one query as a municipal caseworker against fake services.
func run(t *testing.T, s graph.Services, query string) map[string]any {
	t.Helper()
	return runAs(t, caseworker, s, query, nil)
}

// runAs executes one operation as p against fake services, through the
// directives and the error presenter the server uses, and decodes the
// answer.
func runAs(t *testing.T, p *exithub.Principal, s graph.Services, query string, vars map[string]any) map[string]any {
	t.Helper()
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	refused := func(context.Context, *exithub.Principal, string) {}
	h := handler.New(graph.NewExecutableSchema(graph.Config{
		Resolvers:  &graph.Resolver{Services: s, Authz: authz},
		Directives: graph.Directives(authz, refused),
	}))
	h.AddTransport(transport.POST{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h.SetErrorPresenter(graph.ErrorPresenter(log, func(context.Context) string { return "req" }))
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req = req.WithContext(exithub.NewContextWithPrincipal(req.Context(), p))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	return out
}

func TestCitizensTranslatesThePageAndTheCursors(t *testing.T) {
	end := "c2"
	f := &fakeCitizens{
		rows: []*exithub.Citizen{{ID: "id1", Alias: "A"}, {ID: "id2", Alias: "B"}},
		info: exithub.PageInfo{Cursors: []string{"c1", "c2"}, EndCursor: &end, HasNextPage: true},
	}
	out := run(t, graph.Services{Citizens: f}, `{ citizens(first: 2) { edges { cursor node { id alias } } pageInfo { endCursor hasNextPage } } }`)
	if f.asked.Size != 2 || f.asked.Backward {
		t.Fatalf("the service was asked for %+v", f.asked)
	}
	got, err := json.Marshal(out["data"])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"cursor":"c1"`, `"cursor":"c2"`, `"alias":"B"`, `"endCursor":"c2"`, `"hasNextPage":true`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("%s lacks %s", got, want)
		}
	}
	if strings.Contains(string(got), `"id":"id1"`) {
		t.Errorf("a row's own id is handed out instead of its global id: %s", got)
	}
}

func TestABadPageIsBadInputNamingTheArgument(t *testing.T) {
	f := &fakeCitizens{}
	out := run(t, graph.Services{Citizens: f}, `{ citizens(first: 1, last: 1) { edges { cursor } } }`)
	errs, _ := out["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("errors: %v", out)
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	if ext["code"] != exithub.EINVALID || ext["field"] == nil || ext["field"] == "" {
		t.Fatalf("extensions: %v", ext)
	}
	if f.asked != (exithub.Page{}) {
		t.Fatalf("the service was asked for %+v", f.asked)
	}
}

func TestACitizenNotFoundIsNull(t *testing.T) {
	out := run(t, graph.Services{Citizens: &fakeCitizens{}}, `{ citizen(id: "Q2l0aXplbjp4") { alias } }`)
	if out["errors"] != nil {
		t.Fatalf("errors: %v", out["errors"])
	}
	if data := out["data"].(map[string]any); data["citizen"] != nil {
		t.Fatalf("citizen: %v", data["citizen"])
	}
}
