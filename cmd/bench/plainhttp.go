package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"exithub"
	"exithub/db"
	"exithub/policy"
)

// plainEnv, when set to a listen address, makes this program the plain
// net/http baseline instead of the harness: the harness starts itself again
// so the baseline's CPU and memory are measured like the hub's, apart from
// the load generator's.
const plainEnv = "EXITHUB_BENCH_PLAIN_HTTP"

// plainServer answers the inbox with net/http, encoding/json and the hub's
// own database layer: logged in as the application role, the principal's
// role switched to and its organisation set, the hub's inbox statement, the
// organisations from the hub's in-memory directory, and the audit record
// written through the same batching writer. Only GraphQL, tokens and the
// hub's middleware are missing, so hub ÷ plain measures those alone.
type plainServer struct {
	db    *db.DB
	owner *pgxpool.Pool // for the bare SELECT only, which runs as the owner
	codes sync.Map      // NGO id → code: the hub has it from the token
}

// servePlain runs the baseline until the process is told to stop. The pool
// keeps pgx's default size, as the hub's does.
func servePlain(addr, ownerURL string) error {
	ctx := context.Background()
	authz, err := policy.New()
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, db.Config{URL: ownerURL}, authz, nil)
	if err != nil {
		return err
	}
	owner, err := pgxpool.New(ctx, ownerURL)
	if err != nil {
		return err
	}
	s := &plainServer{db: d, owner: owner}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /inbox", s.inbox)
	mux.HandleFunc("POST /inbox-select", s.inboxSelect)
	mux.HandleFunc("GET /metrics", s.metrics)
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := d.Ready(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		}
	})
	return (&http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}).ListenAndServe()
}

// inbox reads a page with its history as the NGO's worker, through the
// hub's database layer, audit record included, and, as the hub does for an
// answer that shows none of the request's text and of the history only the
// states and actors, leaves the rest unread.
func (s *plainServer) inbox(w http.ResponseWriter, r *http.Request) {
	ngo, err := s.organisation(r.Context(), r.URL.Query().Get("ngo"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p := &exithub.Principal{Sub: "plain@" + ngo.Code, Role: exithub.RoleNGOWorker, Org: *ngo}
	ctx := exithub.NewContextWithRequest(exithub.NewContextWithPrincipal(r.Context(), p), exithub.Request{ID: rand.Text(), Operation: "inbox"})
	refs, _, err := s.db.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: pageSize}, exithub.ReferralParts{Events: true, Brief: true, BriefEvents: true})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, s.answer(ctx, refs))
}

// organisation is the NGO asking, from the hub's in-memory directory by its
// code, as the hub finds a token's organisation; the code once per NGO.
func (s *plainServer) organisation(ctx context.Context, id string) (*exithub.Organisation, error) {
	c, ok := s.codes.Load(id)
	if !ok {
		var code string
		if err := s.owner.QueryRow(ctx, "SELECT code FROM hub.organisations WHERE id = $1", id).Scan(&code); err != nil {
			return nil, err
		}
		c, _ = s.codes.LoadOrStore(id, code)
	}
	return s.db.OrganisationByCode(ctx, c.(string))
}

// inboxSelect is the bare SELECT: no transaction, no audit, no lookups;
// the ceiling of HTTP + JSON + one query.
func (s *plainServer) inboxSelect(w http.ResponseWriter, r *http.Request) {
	refs, err := selectInbox(r.Context(), s.owner, r.URL.Query().Get("ngo"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	edges := make([]inboxEdge, len(refs))
	for i, r := range refs {
		edges[i] = inboxEdge{inboxNode{ID: r.ID, Status: r.Status, History: []history{}}}
	}
	writeJSON(w, envelope(edges))
}

// metrics reports the statements sent and the heap allocations made, as
// the hub's /metrics does.
func (s *plainServer) metrics(w http.ResponseWriter, _ *http.Request) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Fprintf(w, "# TYPE %s counter\n%s %d\n", queriesMetric, queriesMetric, s.db.Queries())
	fmt.Fprintf(w, "# TYPE %s counter\n%s %d\n", mallocsMetric, mallocsMetric, m.Mallocs)
}

// The answer has the GraphQL response's shape, so both encode alike.
type (
	code struct {
		Code string `json:"code"`
	}
	history struct {
		To    *string `json:"to"`
		Actor string  `json:"actor"`
	}
	inboxNode struct {
		ID      string    `json:"id"`
		Status  string    `json:"status"`
		From    *code     `json:"from"`
		To      *code     `json:"to"`
		History []history `json:"history"`
	}
	inboxEdge struct {
		Node inboxNode `json:"node"`
	}
)

// answer is the GraphQL response's data for a page: organisations by code
// from the directory, the history's target and actor.
func (s *plainServer) answer(ctx context.Context, refs []*exithub.Referral) any {
	codeOf := func(id string) *code {
		o, err := s.db.OrganisationByID(ctx, id)
		if err != nil {
			return nil
		}
		return &code{o.Code}
	}
	edges := make([]inboxEdge, len(refs))
	for i, r := range refs {
		n := inboxNode{ID: r.ID, Status: string(r.Status), From: codeOf(r.FromID), History: make([]history, len(r.Events))}
		if r.ToID != nil {
			n.To = codeOf(*r.ToID)
		}
		for j, e := range r.Events {
			n.History[j] = history{To: (*string)(e.To), Actor: e.ActorSub}
		}
		edges[i] = inboxEdge{n}
	}
	return envelope(edges)
}

func envelope(edges []inboxEdge) any {
	return map[string]any{"data": map[string]any{"referrals": map[string]any{"edges": edges}}}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		fmt.Fprintln(os.Stderr, "plain:", err)
	}
}
