package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"exithub"
	"exithub/auth"
	"exithub/graph"
	"exithub/policy"
)

func newTestServer(t *testing.T, cfg Config, b Backend) *Server {
	t.Helper()
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	if b.Refusals == nil {
		b.Refusals = nopRefusals{}
	}
	return New(cfg, quiet(), b, nil, authz)
}

func TestReadyzAnswersUnavailableWhileTheBackendIsNotReady(t *testing.T) {
	for name, c := range map[string]struct {
		err    error
		status int
		body   string
	}{
		"ready":     {nil, http.StatusOK, `{"status":"ready"}`},
		"not ready": {errors.New("schema version 3, binary expects 4"), http.StatusServiceUnavailable, `{"status":"unavailable"}`},
	} {
		t.Run(name, func(t *testing.T) {
			s := newTestServer(t, DefaultConfig(), Backend{Readiness: fakeReadiness{c.err}})
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if w.Code != c.status || w.Body.String() != c.body {
				t.Fatalf("readyz answered %d %s, want %d %s", w.Code, w.Body, c.status, c.body)
			}
		})
	}
}

// A principal the policy refuses is audited, with the refusal's code, and
// the service is never asked.
func TestARefusedOperationIsAudited(t *testing.T) {
	refusals := &recordedRefusals{}
	referrals := &fakeReferrals{}
	s := newTestServer(t, DefaultConfig(), Backend{Refusals: refusals, Services: graph.Services{Referrals: referrals}})
	h := s.graphQL()
	// A caseworker may not accept a referral: that is the NGO's to do.
	p := &exithub.Principal{Sub: "cw@101", Role: exithub.RoleCaseworker, Org: exithub.Organisation{ID: "m1", Code: "101", Kind: exithub.KindMunicipality}}
	as := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(exithub.NewContextWithPrincipal(r.Context(), p)))
	})
	a := decode(t, post(as, `mutation { acceptReferral(input: {id: "UmVmZXJyYWw6cjE"}) { status } }`))
	if len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != exithub.EFORBIDDEN {
		t.Fatalf("errors: %+v", a.Errors)
	}
	if referrals.transitions != 0 {
		t.Fatalf("the service was asked for %d transitions", referrals.transitions)
	}
	if want := []string{"cw@101 FORBIDDEN"}; strings.Join(refusals.denied, ",") != strings.Join(want, ",") {
		t.Fatalf("audited refusals %v, want %v", refusals.denied, want)
	}
}

// Requests without a token are audited as one count per client address,
// when the refusals are flushed, not one record each.
func TestUnauthenticatedRequestsAreAuditedAsACountPerAddress(t *testing.T) {
	refusals := &recordedRefusals{}
	s := newTestServer(t, DefaultConfig(), Backend{Refusals: refusals})
	h := s.Handler()
	for i, addr := range []string{"192.0.2.1:1000", "192.0.2.1:1001", "192.0.2.2:1000"} {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ me { sub } }"}`))
		r.Header.Set("Content-Type", "application/json")
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("request %d answered %d: %s", i, w.Code, w.Body)
		}
	}
	if len(refusals.anonAt) != 0 {
		t.Fatalf("audited before the flush: %v", refusals.anonAt)
	}
	s.FlushRefusals(context.Background())
	if len(refusals.anonAt) != 2 || refusals.anonAt["192.0.2.1"] != 2 || refusals.anonAt["192.0.2.2"] != 1 {
		t.Fatalf("audited %v, want 192.0.2.1: 2 and 192.0.2.2: 1", refusals.anonAt)
	}
	for _, m := range refusals.minutes {
		if !m.Equal(m.Truncate(time.Minute)) {
			t.Fatalf("the record's time %v is not a minute", m)
		}
	}
}

// An organisation over its rate is refused with RATE_LIMITED, retryable
// after a second, before its operation runs.
func TestAnOrganisationOverItsRateIsRateLimited(t *testing.T) {
	keys, v := testKeys(t)
	org := &exithub.Organisation{ID: "n1", Code: "901", Kind: exithub.KindNGO}
	id := &Identity{Verifier: v, Organisation: func(context.Context, string) (*exithub.Organisation, error) { return org, nil }}
	tok, err := keys.Mint(auth.Claims{Sub: "w@901", Org: "901", Role: exithub.RoleNGOWorker}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.RatePerSecond, cfg.RateBurst = 0.001, 1
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	referrals := &fakeReferrals{}
	h := New(cfg, quiet(), Backend{Refusals: nopRefusals{}, Services: graph.Services{
		Referrals: referrals, Consents: unusedConsents{}, BudgetLines: unusedBudgetLines{}}}, id, authz).Handler()
	var codes []int
	for range 2 {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"mutation { acceptReferral(input: {id: \"UmVmZXJyYWw6cjE\"}) { status } }"}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		codes = append(codes, w.Code)
		if len(codes) == 2 {
			a := decode(t, w)
			if len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != exithub.ERATELIMITED || a.Errors[0].Extensions["retryable"] != true {
				t.Fatalf("the second answer's errors: %+v", a.Errors)
			}
			if w.Header().Get("Retry-After") != "1" {
				t.Fatalf("Retry-After %q", w.Header().Get("Retry-After"))
			}
		}
	}
	if codes[0] != http.StatusOK || codes[1] != http.StatusTooManyRequests {
		t.Fatalf("statuses %v, want 200 then 429", codes)
	}
	if referrals.transitions != 1 {
		t.Fatalf("the service ran %d transitions, want the first request's only", referrals.transitions)
	}
}

// Each query and mutation may touch at most MaxAuditObjects personal
// objects, summed over every service call it makes.
func TestEachOperationHasItsAuditBudget(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxAuditObjects = 3
	spender := &spendingCitizens{each: 2}
	h := graphQLAs(newTestServer(t, cfg, Backend{Services: graph.Services{Citizens: spender}}))
	a := decode(t, post(h, `{ a: citizen(id: "Q2l0aXplbjph") { alias } b: citizen(id: "Q2l0aXplbjpi") { alias } }`))
	if len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != exithub.EINVALID {
		t.Fatalf("two reads of 2 objects under a budget of 3: errors %+v", a.Errors)
	}
	// The next operation has a budget of its own.
	a = decode(t, post(h, `{ a: citizen(id: "Q2l0aXplbjph") { alias } }`))
	if len(a.Errors) != 0 {
		t.Fatalf("one read of 2 objects in a new operation: errors %+v", a.Errors)
	}
}

// spendingCitizens spends each read's objects from the request's budget,
// as the database does.
type spendingCitizens struct {
	exithub.CitizenService
	each int
}

func (f *spendingCitizens) FindCitizen(ctx context.Context, id string) (*exithub.Citizen, error) {
	if err := exithub.SpendAuditBudget(ctx, f.each); err != nil {
		return nil, err
	}
	return &exithub.Citizen{ID: id, Alias: id}, nil
}

// graphQLAs is the server's GraphQL handler with a caseworker of
// municipality 101 in the context.
func graphQLAs(s *Server) http.Handler {
	h := s.graphQL()
	p := &exithub.Principal{Sub: "cw@101", Role: exithub.RoleCaseworker, Org: exithub.Organisation{ID: "m1", Code: "101", Kind: exithub.KindMunicipality}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(exithub.NewContextWithPrincipal(r.Context(), p)))
	})
}

func TestMetricsReportThePoolAndTheListener(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), Backend{
		Pool:     fakePool{PoolStat{Total: 7, Acquired: 3, EmptyAcquires: 11, Queries: 42}},
		Listener: fakeListener{up: true, losses: 2, reconnects: 1},
	})
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, want := range []string{
		"exithub_db_pool_connections 7", "exithub_db_pool_acquired_connections 3",
		"exithub_db_pool_empty_acquire_total 11", "exithub_db_queries_total 42",
		"exithub_listener_up 1", "exithub_listener_losses_total 2", "exithub_listener_reconnects_total 1",
	} {
		if !strings.Contains(w.Body.String(), want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// testKeys is a key directory under the test's own and a verifier of the
// tokens it signs, closed when the test ends.
func testKeys(tb testing.TB) (*auth.KeyDir, *auth.Verifier) {
	tb.Helper()
	dir := tb.TempDir()
	keys, err := auth.OpenKeyDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := auth.NewVerifier(auth.VerifierOptions{KeyDir: dir})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(v.Close)
	return keys, v
}
