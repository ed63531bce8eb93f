package exithub

import (
	"context"
	"slices"
	"sync"
)

// AuditOK is the outcome of a request that did its work; a refused one
// records its error code instead.
const AuditOK = "OK"

// AccessLogLimit is how many entries of a citizen's access log the dossier
// shows: the latest, exactly this many at most.
const AccessLogLimit = 1000

// AuditEntry is an audit record as a request writes it: who asked, in
// which request, what personal data the work touched and how it ended.
// Citizens are named only by their keyed references (stored on the rows
// that name them, so no read hashes), so that no record links to a citizen
// once erased. The JSON names are the audit log's columns: a batching
// writer sends entries as one JSON array.
type AuditEntry struct {
	RequestID      string        `json:"request_id"`
	Sub            string        `json:"sub"`
	OrgID          *string       `json:"org_id"`
	Role           string        `json:"role"`
	Operation      string        `json:"operation"`
	Objects        []AuditObject `json:"objects"`
	CitizenRefs    []string      `json:"citizen_refs"`
	MunicipalityID *string       `json:"municipality_id"`
	Outcome        string        `json:"outcome"`
}

// NewAuditEntry starts the record of the request in ctx, asked by p (nil
// when no one could be named), ending in outcome.
func NewAuditEntry(ctx context.Context, p *Principal, outcome string) AuditEntry {
	req := RequestFromContext(ctx)
	e := AuditEntry{RequestID: req.ID, Operation: req.Operation, Outcome: outcome,
		Objects: []AuditObject{}, CitizenRefs: []string{}}
	if p != nil {
		org := p.Org.ID
		e.Sub, e.Role, e.OrgID = p.Sub, string(p.Role), &org
	}
	return e
}

// AuditWriter writes audit entries. The database's writer puts each into
// the transaction of the work it records; a batching writer may gather
// them, as long as an entry is durable when its work is.
type AuditWriter interface {
	WriteAudit(ctx context.Context, e AuditEntry) error
}

// AuditBuilder gathers one request's entry while its work runs: every
// object concerning a citizen that the work read or changed. Resolvers of
// one request run concurrently, so it locks.
type AuditBuilder struct {
	mu     sync.Mutex
	entry  AuditEntry
	always bool
}

// NewAuditBuilder starts the entry of a request that does its work.
func NewAuditBuilder(ctx context.Context, p *Principal) *AuditBuilder {
	return &AuditBuilder{entry: NewAuditEntry(ctx, p, AuditOK)}
}

// Touch notes an object the work read or changed, the keyed reference of
// the citizen it concerns ("" for none; a Citizen object is named by its
// reference too) and the municipality serving that citizen (the first one
// noted is the record's).
func (b *AuditBuilder) Touch(typ, id, citizenRef, muni string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.entry.Objects = append(b.entry.Objects, AuditObject{Type: typ, ID: id})
	if citizenRef != "" {
		b.entry.CitizenRefs = append(b.entry.CitizenRefs, citizenRef)
	}
	if muni != "" && b.entry.MunicipalityID == nil {
		b.entry.MunicipalityID = &muni
	}
}

// Touched is how many objects the work has noted so far: what a request's
// bound on personal objects counts.
func (b *AuditBuilder) Touched() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.entry.Objects)
}

// Always marks a request to record even if it touched no personal object:
// statistics, changes to the directory.
func (b *AuditBuilder) Always() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.always = true
}

// Entry is the record to write, and whether there is one: a request that
// touched no personal data and is not always recorded writes nothing. Its
// citizens are distinct and sorted, as a record stores them: a page of one
// citizen's referrals names the citizen once.
func (b *AuditBuilder) Entry() (AuditEntry, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.entry
	e.Objects = append([]AuditObject{}, e.Objects...)
	e.CitizenRefs = slices.Compact(slices.Sorted(slices.Values(e.CitizenRefs)))
	if e.CitizenRefs == nil {
		e.CitizenRefs = []string{}
	}
	return e, len(e.Objects) > 0 || b.always
}
