package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"exithub"
	"exithub/auth"
	"exithub/graph"
	"exithub/policy"
)

// The inbox benchmarks measure the hub's own cost of answering an NGO's
// inbox, the database replaced by in-memory fakes: the whole handler
// (request id, token, rate limit, loaders, GraphQL) against a plain
// net/http + encoding/json handler that makes the same read and writes
// the same answer. Compare the two in one run:
//
//	go test ./server -run '^$' -bench Inbox -benchmem -count 5

// inboxQuery is the bench's inbox (cmd/bench/scenarios.go).
const inboxQuery = `{ referrals(first: 20) { edges { node { id status from { code } to { code } history { to actor } } } } }`

// inboxDirectory is the in-memory directory: a municipality and an NGO.
type inboxDirectory struct {
	exithub.DirectoryService
	byID, byCode map[string]*exithub.Organisation
}

func newInboxDirectory() *inboxDirectory {
	d := &inboxDirectory{byID: map[string]*exithub.Organisation{}, byCode: map[string]*exithub.Organisation{}}
	for _, o := range []*exithub.Organisation{
		{ID: "m1", Code: "101", Name: "Municipality 101", Kind: exithub.KindMunicipality},
		{ID: "n1", Code: "901", Name: "NGO 901", Kind: exithub.KindNGO},
	} {
		d.byID[o.ID], d.byCode[o.Code] = o, o
	}
	return d
}

func (d *inboxDirectory) OrganisationByID(_ context.Context, id string) (*exithub.Organisation, error) {
	if o, ok := d.byID[id]; ok {
		return o, nil
	}
	return nil, exithub.Errorf(exithub.ENOTFOUND, "no organisation %s", id)
}

func (d *inboxDirectory) OrganisationByCode(_ context.Context, code string) (*exithub.Organisation, error) {
	if o, ok := d.byCode[code]; ok {
		return o, nil
	}
	return nil, exithub.Errorf(exithub.ENOTFOUND, "no organisation %s", code)
}

// inboxReferrals answers every page with the same referrals, each with its
// history (one transition, as the bench's data has on average), and
// copies them as a database read would produce fresh rows.
type inboxReferrals struct {
	exithub.ReferralService
	rows []*exithub.Referral
}

func newInboxReferrals(n int) *inboxReferrals {
	f := &inboxReferrals{}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	to, requested := "n1", exithub.StatusRequested
	for i := range n {
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		f.rows = append(f.rows, &exithub.Referral{ID: id, CitizenID: "c" + id, CitizenRef: "ref" + id,
			MunicipalityID: "m1", FromID: "m1", ToID: &to, Needs: []exithub.Need{exithub.NeedHousing},
			Message: "a message", Contact: "cw@101", Status: exithub.StatusRequested, Version: 1,
			CreatedAt: at.Add(-time.Duration(i) * time.Minute), UpdatedAt: at,
			Events: []*exithub.ReferralEvent{{ID: "e" + id, ReferralID: id, Kind: "TRANSITION", To: &requested,
				ActorSub: "cw@101", ActorOrgID: "m1", At: at}}})
	}
	return f
}

func (f *inboxReferrals) FindReferrals(ctx context.Context, _ exithub.ReferralFilter, p exithub.Page, parts exithub.ReferralParts) ([]*exithub.Referral, exithub.PageInfo, error) {
	if _, err := exithub.RequirePrincipal(ctx); err != nil {
		return nil, exithub.PageInfo{}, err
	}
	n := min(p.Size, len(f.rows))
	out := make([]*exithub.Referral, n)
	info := exithub.PageInfo{Cursors: make([]string, n)}
	for i, r := range f.rows[:n] {
		c := *r
		if !parts.Events {
			c.Events = nil
		}
		out[i] = &c
		info.Cursors[i] = "cursor" + r.ID
	}
	return out, info, nil
}

func (f *inboxReferrals) ReferralEvents(_ context.Context, ids []string) (map[string][]*exithub.ReferralEvent, error) {
	m := make(map[string][]*exithub.ReferralEvent, len(ids))
	for _, r := range f.rows {
		m[r.ID] = r.Events
	}
	return m, nil
}

// inboxBench is the hub's handler over the fakes, with an NGO worker's
// token, and the plain handler over the same fakes.
type inboxBench struct {
	hub, plain http.Handler
	token      string
	dir        *inboxDirectory
	refs       *inboxReferrals
}

func newInboxBench(tb testing.TB) *inboxBench {
	tb.Helper()
	keys, v := testKeys(tb)
	tok, err := keys.Mint(auth.Claims{Sub: "w@901", Org: "901", Role: exithub.RoleNGOWorker}, time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	authz, err := policy.New()
	if err != nil {
		tb.Fatal(err)
	}
	ib := &inboxBench{token: tok, dir: newInboxDirectory(), refs: newInboxReferrals(20)}
	id := &Identity{Verifier: v, Organisation: ib.dir.OrganisationByCode}
	cfg := DefaultConfig()
	cfg.RatePerSecond = 0 // the bench measures cost, not the limit
	ib.hub = New(cfg, quiet(), Backend{Refusals: nopRefusals{}, Services: graph.Services{
		Referrals: ib.refs, Directory: ib.dir, Consents: unusedConsents{}, BudgetLines: unusedBudgetLines{}}}, id, authz).Handler()
	ib.plain = http.HandlerFunc(ib.servePlain)
	return ib
}

// servePlain is cmd/bench's plain-HTTP inbox over the fakes: the principal
// from the directory, the page with its history, organisations by id, and
// encoding/json.
func (ib *inboxBench) servePlain(w http.ResponseWriter, r *http.Request) {
	ngo, err := ib.dir.OrganisationByCode(r.Context(), "901")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p := &exithub.Principal{Sub: "plain@" + ngo.Code, Role: exithub.RoleNGOWorker, Org: *ngo}
	ctx := exithub.NewContextWithRequest(exithub.NewContextWithPrincipal(r.Context(), p), exithub.Request{ID: "plain", Operation: "inbox"})
	refs, _, err := ib.refs.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 20}, exithub.ReferralParts{Events: true, Brief: true, BriefEvents: true})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	type code struct {
		Code string `json:"code"`
	}
	type history struct {
		To    *string `json:"to"`
		Actor string  `json:"actor"`
	}
	type node struct {
		ID      string    `json:"id"`
		Status  string    `json:"status"`
		From    *code     `json:"from"`
		To      *code     `json:"to"`
		History []history `json:"history"`
	}
	type edge struct {
		Node node `json:"node"`
	}
	codeOf := func(id string) *code {
		o, err := ib.dir.OrganisationByID(ctx, id)
		if err != nil {
			return nil
		}
		return &code{o.Code}
	}
	edges := make([]edge, len(refs))
	for i, ref := range refs {
		n := node{ID: ref.ID, Status: string(ref.Status), From: codeOf(ref.FromID), History: make([]history, len(ref.Events))}
		if ref.ToID != nil {
			n.To = codeOf(*ref.ToID)
		}
		for j, e := range ref.Events {
			n.History[j] = history{To: (*string)(e.To), Actor: e.ActorSub}
		}
		edges[i] = edge{n}
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"referrals": map[string]any{"edges": edges}}}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

var inboxBody = `{"query":` + mustJSON(inboxQuery) + `}`

func mustJSON(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func (ib *inboxBench) request(path string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(inboxBody))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+ib.token)
	return r
}

// serve answers one inbox request and fails on anything but a full page.
func (ib *inboxBench) serve(tb testing.TB, h http.Handler) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, ib.request("/graphql"))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"history":[{"to":"REQUESTED","actor":"cw@101"}]`) ||
		strings.Contains(w.Body.String(), `"errors"`) {
		tb.Fatalf("answer %d: %s", w.Code, w.Body)
	}
}

// The hub's answer and the plain handler's carry the same data.
func TestTheInboxBenchmarksAnswerAlike(t *testing.T) {
	ib := newInboxBench(t)
	var answers [2]map[string]any
	for i, h := range []http.Handler{ib.hub, ib.plain} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, ib.request("/graphql"))
		if w.Code != http.StatusOK {
			t.Fatalf("answer %d: %s", w.Code, w.Body)
		}
		if err := json.Unmarshal(w.Body.Bytes(), &answers[i]); err != nil {
			t.Fatal(err)
		}
	}
	hub, err := json.Marshal(answers[0])
	if err != nil {
		t.Fatal(err)
	}
	plain, err := json.Marshal(answers[1])
	if err != nil {
		t.Fatal(err)
	}
	// The hub's ids are global (Relay) ids; the plain handler's are rows'.
	want := string(plain)
	for _, r := range ib.refs.rows {
		want = strings.ReplaceAll(want, `"id":"`+r.ID+`"`, `"id":"`+globalReferralID(r.ID)+`"`)
	}
	if string(hub) != want {
		t.Fatalf("hub answered\n%s\nplain answered\n%s", hub, want)
	}
}

func globalReferralID(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("Referral:" + id))
}

// benchInbox serves the inbox b.N times, over par goroutines per CPU when
// par > 0, and reports beside ns/op the process's CPU time per request
// (user and system, the garbage collector's included), which, unlike the
// wall clock, other work on the machine hardly changes.
func benchInbox(b *testing.B, hub bool, par int) {
	ib := newInboxBench(b)
	h := ib.plain
	if hub {
		h = ib.hub
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	if par > 0 {
		b.SetParallelism(par)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				ib.serve(b, h)
			}
		})
	} else {
		for range b.N {
			ib.serve(b, h)
		}
	}
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkInboxHandler(b *testing.B)              { benchInbox(b, true, 0) }
func BenchmarkInboxPlainHandler(b *testing.B)         { benchInbox(b, false, 0) }
func BenchmarkInboxHandlerParallel(b *testing.B)      { benchInbox(b, true, 8) }
func BenchmarkInboxPlainHandlerParallel(b *testing.B) { benchInbox(b, false, 8) }
