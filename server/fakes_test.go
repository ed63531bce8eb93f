package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"exithub"
)

// The fakes below stand in for the database: the server's decisions are
// tested against them, without PostgreSQL.

type fakeReadiness struct{ err error }

func (f fakeReadiness) Ready(context.Context) error { return f.err }

type nopRefusals struct{}

func (nopRefusals) AuditRefusal(context.Context, *exithub.Principal, string)     {}
func (nopRefusals) AuditUnauthenticated(context.Context, string, time.Time, int) {}

// recordedRefusals records what the server asks to audit.
type recordedRefusals struct {
	mu      sync.Mutex
	denied  []string // "sub outcome"
	anonAt  map[string]int
	minutes []time.Time
}

func (r *recordedRefusals) AuditRefusal(_ context.Context, p *exithub.Principal, outcome string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.denied = append(r.denied, p.Sub+" "+outcome)
}

func (r *recordedRefusals) AuditUnauthenticated(_ context.Context, addr string, minute time.Time, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.anonAt == nil {
		r.anonAt = map[string]int{}
	}
	r.anonAt[addr] += n
	r.minutes = append(r.minutes, minute)
}

type fakePool struct{ stat PoolStat }

func (f fakePool) PoolStat() PoolStat { return f.stat }

type fakeListener struct {
	up                 bool
	losses, reconnects int64
}

func (f fakeListener) Listening() bool   { return f.up }
func (f fakeListener) Losses() int64     { return f.losses }
func (f fakeListener) Reconnects() int64 { return f.reconnects }

// fakeReferrals counts the transitions it is asked for; any other method
// panics (the embedded interface is nil).
type fakeReferrals struct {
	exithub.ReferralService
	transitions int
}

func (f *fakeReferrals) TransitionReferral(context.Context, exithub.Transition) (*exithub.Referral, error) {
	f.transitions++
	return &exithub.Referral{ID: "r1", Status: exithub.StatusAccepted}, nil
}

func (f *fakeReferrals) ReferralEvents(context.Context, []string) (map[string][]*exithub.ReferralEvent, error) {
	return nil, errors.New("unexpected read of events")
}

// The loaders every request gets take these services' batch reads; the
// tests below never use them.
type unusedConsents struct{ exithub.ConsentService }

func (unusedConsents) FindConsents(context.Context, []string) (map[string][]*exithub.Consent, error) {
	return nil, errors.New("unexpected read of consents")
}

type unusedBudgetLines struct{}

func (unusedBudgetLines) BudgetLinesByIDs(context.Context, []string) (map[string]*exithub.BudgetLine, error) {
	return nil, errors.New("unexpected read of budget lines")
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
