package db

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"exithub"
)

// dbRoles maps each kind of principal to its database role: one role per
// kind, whose grants and row-level policies are the second line of defence.
var dbRoles = map[exithub.OrganisationKind]string{
	exithub.KindMunicipality: "exithub_municipality",
	exithub.KindNGO:          "exithub_ngo",
	exithub.KindMinistry:     "exithub_ministry",
	exithub.KindAgency:       "exithub_agency",
	exithub.KindEvaluator:    "exithub_evaluator",
	exithub.KindOperator:     "exithub_operator",
}

// setWho is the first statement of every request transaction: the role and
// the organisation are transaction-local, so a pooled connection comes back
// clean.
const setWho = `SELECT set_config('role', $1, true), set_config('hub.org_id', $2, true),
 set_config('hub.sub', $3, true), set_config('statement_timeout', $4, true)`

// setWhoReading is setWho for a read sent as one pipeline: its implicit
// transaction is made read-only as BEGIN READ ONLY would.
const setWhoReading = `SELECT set_config('role', $1, true), set_config('hub.org_id', $2, true),
 set_config('hub.sub', $3, true), set_config('statement_timeout', $4, true),
 set_config('transaction_read_only', 'on', true)`

// tx runs fn in a transaction that has first said who is asking. Service
// methods own their transaction; helpers take the pgx.Tx. A transaction per
// call keeps concurrent resolvers off a shared pgx.Tx.
func (d *DB) tx(ctx context.Context, fn func(pgx.Tx, *exithub.Principal) error) error {
	return d.txWithin(ctx, d.callTimeout, fn)
}

// txWithin is tx with its own bound on the hub's side, for the one
// transaction that may outlast a request's (a release's computation).
func (d *DB) txWithin(ctx context.Context, timeout time.Duration, fn func(pgx.Tx, *exithub.Principal) error) error {
	p, err := exithub.RequirePrincipal(ctx)
	if err != nil {
		return err
	}
	role, ok := dbRoles[p.Org.Kind]
	if !ok {
		return exithub.ErrForbidden
	}
	call, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err = pgx.BeginTxFunc(call, d.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		defer cutOff(call, tx)()
		ctx := call
		if _, err := tx.Exec(ctx, setWho, role, p.Org.ID, p.Sub, d.timeout); err != nil {
			return err
		}
		a := &auditTx{Tx: tx, audit: exithub.NewAuditBuilder(ctx, p), writer: d.auditWriter(tx)}
		if err := fn(a, p); err != nil {
			return err
		}
		if err := exithub.SpendAuditBudget(ctx, a.audit.Touched()); err != nil {
			return err
		}
		return a.record(ctx)
	})
	err = d.classify(err)
	if refused(err) {
		d.AuditRefusal(ctx, p, exithub.ErrorCode(err))
	}
	return err
}

// read runs fn in a read-only transaction under the principal's role, and
// then hands the audit record of what it read to the instance's audit
// writer, returning only once that record has committed: the read's own
// commit waits on no write, and no data leaves without its record. A record
// that cannot be written fails the read (UNAVAILABLE).
func (d *DB) read(ctx context.Context, fn readFunc) error {
	return d.readOn(ctx, d.pool, fn)
}

// readFunc is the work of a read transaction.
type readFunc func(pgx.Tx, *exithub.Principal) error

// readOn is read on the given pool: the primary's, or the replica's. It
// keeps the deadline, the cut-off and the bound on personal objects of tx.
func (d *DB) readOn(ctx context.Context, pool *pgxpool.Pool, fn readFunc) error {
	return d.readFallingBack(ctx, pool, nil, nil, fn)
}

// readFallingBack is readOn that, given a fallback pool, runs the read
// again there when pool failed it for the server's reason, not the
// request's: a replica that went down between its checks. onFault hears of
// that failure first.
func (d *DB) readFallingBack(ctx context.Context, pool, fallback *pgxpool.Pool, onFault func(error), fn readFunc) error {
	p, err := exithub.RequirePrincipal(ctx)
	if err != nil {
		return err
	}
	role, ok := dbRoles[p.Org.Kind]
	if !ok {
		return exithub.ErrForbidden
	}
	call, cancel := d.callCtx(ctx)
	defer cancel()
	a := &auditTx{audit: exithub.NewAuditBuilder(call, p), writer: d.audit}
	err = d.readTx(call, pool, a, p, role, fn)
	if err != nil && fallback != nil && ctx.Err() == nil && serverFault(err) {
		onFault(err)
		cancel()
		call, cancel = d.callCtx(ctx)
		defer cancel()
		a = &auditTx{audit: exithub.NewAuditBuilder(call, p), writer: d.audit}
		err = d.readTx(call, fallback, a, p, role, fn)
	}
	if err == nil {
		err = a.record(call)
	}
	// A read changes nothing, so it says nothing about disk space: its
	// record's batch reports that to classify itself.
	err = translate(err)
	if refused(err) {
		d.AuditRefusal(ctx, p, exithub.ErrorCode(err))
	}
	return err
}

// readTx is a read's transaction on pool, its error as the database gave it.
func (d *DB) readTx(call context.Context, pool *pgxpool.Pool, a *auditTx, p *exithub.Principal, role string, fn readFunc) error {
	return pgx.BeginTxFunc(call, pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		defer cutOff(call, tx)()
		if _, err := tx.Exec(call, setWho, role, p.Org.ID, p.Sub, d.timeout); err != nil {
			return err
		}
		a.Tx = tx
		if err := fn(a, p); err != nil {
			return err
		}
		return exithub.SpendAuditBudget(call, a.audit.Touched())
	})
}

// serverFault is true of an error of the database's, not of the request:
// no application error, and one that translates to UNAVAILABLE or INTERNAL
// (a connection lost or refused, a standby's recovery conflict, a shutdown).
func serverFault(err error) bool {
	var appErr *exithub.Error
	if errors.As(err, &appErr) {
		return false
	}
	code := exithub.ErrorCode(translate(err))
	return code == exithub.EUNAVAILABLE || code == exithub.EINTERNAL
}

// scope asks the policy in what scope p may take act on res, and refuses
// outright when the answer is none.
func (d *DB) scope(p *exithub.Principal, res exithub.Resource, act exithub.Action) (exithub.Scope, error) {
	s := d.authz.Scope(p, res, act)
	if !s.Allowed() {
		return s, exithub.Forbidden(p.Role, act, res)
	}
	return s, nil
}

// cutOff makes tx's connection fail what it is reading, and everything
// after, once ctx ends: fn's statements run under the caller's context, and
// a frozen backend would otherwise hold them past the hub's deadline. The
// broken connection leaves the pool. The returned function stops the watch.
func cutOff(ctx context.Context, tx pgx.Tx) func() bool {
	nc := tx.Conn().PgConn().Conn()
	return context.AfterFunc(ctx, func() { nc.SetDeadline(time.Now()) })
}
