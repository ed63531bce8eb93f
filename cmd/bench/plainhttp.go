package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"exithub"
	"exithub/db"
)

// plainEnv, when set to a listen address, makes this program the plain
// net/http baseline instead of the harness: the harness starts itself again
// so the baseline's CPU and memory are measured like the hub's, apart from
// the load generator's.
const plainEnv = "EXITHUB_BENCH_PLAIN_HTTP"

// plainServer answers the inbox with net/http, encoding/json and pgx: the
// same SQL and audit row as the hub, without GraphQL, tokens or policy.
type plainServer struct {
	pool    *pgxpool.Pool
	queries *db.QueryCounter
}

// servePlain runs the baseline until the process is told to stop. The pool
// keeps pgx's default size, as the hub's does.
func servePlain(addr, ownerURL string) error {
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(ownerURL)
	if err != nil {
		return err
	}
	s := &plainServer{queries: &db.QueryCounter{}}
	cfg.ConnConfig.Tracer = s.queries
	if s.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /inbox", s.inbox)
	mux.HandleFunc("POST /inbox-select", s.inboxSelect)
	mux.HandleFunc("GET /metrics", s.metrics)
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := s.pool.Ping(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		}
	})
	return (&http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}).ListenAndServe()
}

// inbox reads the page, its history and organisations in one transaction
// and writes the audit row the hub writes for it.
func (s *plainServer) inbox(w http.ResponseWriter, r *http.Request) {
	ngo := r.URL.Query().Get("ngo")
	var page inboxPage
	err := pgx.BeginFunc(r.Context(), s.pool, func(tx pgx.Tx) error {
		var err error
		if page, err = readInboxPage(r.Context(), tx, ngo); err != nil {
			return err
		}
		return audit(r.Context(), tx, ngo, page.refs)
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, inboxAnswer(page))
}

// inboxSelect is the bare SELECT: no transaction, no audit, no lookups;
// the ceiling of HTTP + JSON + one query.
func (s *plainServer) inboxSelect(w http.ResponseWriter, r *http.Request) {
	refs, err := selectInbox(r.Context(), s.pool, r.URL.Query().Get("ngo"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, inboxAnswer(inboxPage{refs: refs}))
}

func (s *plainServer) metrics(w http.ResponseWriter, _ *http.Request) {
	fmt.Fprintf(w, "# TYPE %s counter\n%s %d\n", queriesMetric, queriesMetric, s.queries.Count())
}

// audit writes the row the hub's auditTx writes for an inbox page.
func audit(ctx context.Context, tx pgx.Tx, ngo string, refs []referralRow) error {
	objects := make([]exithub.AuditObject, len(refs))
	citizens := make([]string, len(refs))
	var muni *string
	for i, r := range refs {
		objects[i] = exithub.AuditObject{Type: "Referral", ID: r.ID}
		citizens[i] = r.CitizenID
		if muni == nil {
			muni = &refs[i].MunicipalityID
		}
	}
	b, _ := json.Marshal(objects)
	_, err := tx.Exec(ctx, auditSQL, rand.Text(), "plain@"+ngo, ngo, "ngo_worker", "inbox", string(b), citizens, muni, "OK")
	return err
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

func inboxAnswer(p inboxPage) any {
	edges := make([]inboxEdge, len(p.refs))
	for i, r := range p.refs {
		n := inboxNode{ID: r.ID, Status: r.Status, History: []history{}}
		if o, ok := p.orgs[r.FromID]; ok {
			n.From = &code{o.Code}
		}
		if r.NGOID != nil {
			if o, ok := p.orgs[*r.NGOID]; ok {
				n.To = &code{o.Code}
			}
		}
		for _, e := range p.events[r.ID] {
			n.History = append(n.History, history{To: e.To, Actor: e.ActorSub})
		}
		edges[i] = inboxEdge{n}
	}
	return map[string]any{"data": map[string]any{"referrals": map[string]any{"edges": edges}}}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		fmt.Fprintln(os.Stderr, "plain:", err)
	}
}
