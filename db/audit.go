package db

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// auditTx is a request transaction that remembers the personal data it
// touched, so the audit record goes into the same transaction as the work.
type auditTx struct {
	pgx.Tx
	mu       sync.Mutex
	objects  []exithub.AuditObject
	citizens []string // keyed references
	muni     *string
	always   bool // record even without objects (statistics, mutations)
}

// touch notes that tx read or changed an object concerning the citizen
// whose keyed reference (citizen_ref, stored on the row) is ref, served by
// municipality muni. A Citizen object is named by its reference too.
func touch(tx pgx.Tx, typ, id, ref, muni string) {
	a, ok := tx.(*auditTx)
	if !ok {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.objects = append(a.objects, exithub.AuditObject{Type: typ, ID: id})
	if ref != "" {
		a.citizens = append(a.citizens, ref)
	}
	if muni != "" && a.muni == nil {
		a.muni = &muni
	}
}

// auditAlways marks the transaction as one to record even if it touched no
// personal object: statistics queries, directory changes.
func auditAlways(tx pgx.Tx) {
	if a, ok := tx.(*auditTx); ok {
		a.always = true
	}
}

// insertAudit writes a mutation's record in its transaction. Citizens are
// named only by their keyed reference, in the objects as in citizen_refs,
// so that no audit row links to a citizen once the citizen's records are
// erased.
const insertAudit = `INSERT INTO hub.audit_log (request_id, sub, org_id, role, operation, objects, citizen_refs, municipality_id, outcome)
	VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`

// record writes the transaction's audit record, in the transaction.
func (a *auditTx) record(ctx context.Context, p *exithub.Principal) error {
	if len(a.objects) == 0 && !a.always {
		return nil
	}
	return writeAudit(ctx, a.Tx, p, a.objects, a.citizens, a.muni, "OK")
}

// auditRead writes the record of a read through the audit writer, if the
// read touched anything to record, and waits for its commit.
func (d *DB) auditRead(ctx context.Context, p *exithub.Principal, a *auditTx) error {
	a.mu.Lock()
	e := newAuditEntry(ctx, p, a.objects, a.citizens, a.muni, "OK")
	record := len(a.objects) > 0 || a.always
	a.mu.Unlock()
	if !record {
		return nil
	}
	return d.audit.Write(ctx, e)
}

// newAuditEntry is the record of what p did in the request of ctx.
func newAuditEntry(ctx context.Context, p *exithub.Principal, objs []exithub.AuditObject, citizens []string, muni *string, outcome string) auditEntry {
	req := exithub.RequestFromContext(ctx)
	if objs == nil {
		objs = []exithub.AuditObject{}
	}
	e := auditEntry{RequestID: req.ID, Operation: req.Operation, Objects: objs, CitizenRefs: distinctSorted(citizens), Muni: muni, Outcome: outcome}
	if p != nil {
		e.Sub, e.Role, e.OrgID = p.Sub, string(p.Role), &p.Org.ID
	}
	return e
}

func writeAudit(ctx context.Context, tx pgx.Tx, p *exithub.Principal, objs []exithub.AuditObject, citizens []string, muni *string, outcome string) error {
	e := newAuditEntry(ctx, p, objs, citizens, muni, outcome)
	b, err := json.Marshal(e.Objects)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, insertAudit, e.RequestID, e.Sub, e.OrgID, e.Role, e.Operation, string(b), e.CitizenRefs, e.Muni, e.Outcome)
	return err
}

// distinctSorted is refs without repeats, in order, as a record stores its
// citizens: a page of one citizen's referrals names the citizen once.
func distinctSorted(refs []string) []string {
	out := slices.Clone(refs)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// AuditRefusal records a refused request through the audit writer (the
// work's transaction rolled back), as the login role, and waits for it.
func (d *DB) AuditRefusal(ctx context.Context, p *exithub.Principal, outcome string) {
	err := d.audit.Write(ctx, newAuditEntry(ctx, p, nil, nil, nil, outcome))
	if err != nil && ctx.Err() == nil {
		d.log.ErrorContext(ctx, "audit of a refusal failed", "err", err)
	}
}

// refused reports whether an error is one the audit trail records as a refusal.
func refused(err error) bool {
	switch exithub.ErrorCode(err) {
	case exithub.EFORBIDDEN, exithub.ENOTFOUND, exithub.EUNAUTHENTICATED:
		return true
	}
	return false
}
