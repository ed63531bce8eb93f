package db

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// auditTx is a request transaction that remembers the personal data it
// touched. A mutation's record goes into the same transaction as the work;
// a read's goes to the instance's audit writer once the read is done.
type auditTx struct {
	pgx.Tx
	audit  *exithub.AuditBuilder
	writer exithub.AuditWriter
}

// touch notes that tx read or changed an object concerning the citizen
// whose keyed reference (citizen_ref, stored on the row) is ref, served by
// municipality muni. A Citizen object is named by its reference too.
func touch(tx pgx.Tx, typ, id, ref, muni string) {
	if a, ok := tx.(*auditTx); ok {
		a.audit.Touch(typ, id, ref, muni)
	}
}

// auditAlways marks the transaction as one to record even if it touched no
// personal object: statistics queries, directory changes.
func auditAlways(tx pgx.Tx) {
	if a, ok := tx.(*auditTx); ok {
		a.audit.Always()
	}
}

// record writes the transaction's audit record through its writer.
func (a *auditTx) record(ctx context.Context) error {
	e, ok := a.audit.Entry()
	if !ok {
		return nil
	}
	return a.writer.WriteAudit(ctx, e)
}

// auditWriter is where the audit record of a transaction that changes
// something goes: into that transaction. Reads use the instance's batching
// writer (d.audit) instead.
func (d *DB) auditWriter(tx pgx.Tx) exithub.AuditWriter { return txAuditWriter{tx} }

// txAuditWriter writes audit records in a transaction: the work's, or a
// refusal's own.
type txAuditWriter struct{ tx pgx.Tx }

var _ exithub.AuditWriter = txAuditWriter{}

// insertAudit writes one record. Citizens come as their keyed references,
// in the objects as in citizen_refs, so that no audit row links to a
// citizen once the citizen's records are erased.
const insertAudit = `INSERT INTO hub.audit_log (request_id, sub, org_id, role, operation, objects, citizen_refs, municipality_id, outcome)
	VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`

// WriteAudit implements exithub.AuditWriter.
func (w txAuditWriter) WriteAudit(ctx context.Context, e exithub.AuditEntry) error {
	objs, err := json.Marshal(e.Objects)
	if err != nil {
		return err
	}
	citizens := e.CitizenRefs
	if citizens == nil {
		citizens = []string{}
	}
	_, err = w.tx.Exec(ctx, insertAudit, e.RequestID, e.Sub, e.OrgID, e.Role, e.Operation,
		string(objs), citizens, e.MunicipalityID, e.Outcome)
	return err
}

// AuditRefusal records a refused request in a transaction of its own (the
// work's transaction rolled back), as the login role.
func (d *DB) AuditRefusal(ctx context.Context, p *exithub.Principal, outcome string) {
	ctx, cancel := d.callCtx(ctx)
	defer cancel()
	err := pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		return d.auditWriter(tx).WriteAudit(ctx, exithub.NewAuditEntry(ctx, p, outcome))
	})
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
