package db

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strconv"

	"github.com/jackc/pgx/v5"

	"exithub"
)

const auditColumns = `l.id, l.at, l.request_id, l.sub, l.org_id::text, l.role, l.operation, l.objects,
 l.citizen_refs, l.municipality_id::text, l.outcome, EXISTS (SELECT 1 FROM hub.audit_seals s WHERE s.log_id = l.id)`

func scanAudit(row pgx.CollectableRow) (*exithub.AuditRecord, error) {
	var a exithub.AuditRecord
	var objs []byte
	err := row.Scan(&a.ID, &a.At, &a.RequestID, &a.Sub, &a.OrgID, &a.Role, &a.Operation, &objs, &a.CitizenRefs, &a.MunicipalityID, &a.Outcome, &a.Sealed)
	if err == nil {
		err = json.Unmarshal(objs, &a.Objects)
	}
	return &a, err
}

// auditBounds are the ids a page of the trail lies between (newest first:
// below the after record, above the before record).
func auditBounds(p exithub.Page) (below, above int64, err error) {
	below, above = 1<<62, 0
	if p.After != "" {
		if below, err = auditCursor(p.After, "after"); err != nil {
			return 0, 0, err
		}
	}
	if p.Before != "" {
		above, err = auditCursor(p.Before, "before")
	}
	return below, above, err
}

// auditCursor is the id of a record seen.
func auditCursor(c, field string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	n, perr := strconv.ParseInt(string(b), 10, 64)
	if err != nil || perr != nil {
		return 0, exithub.Invalid(field, "not a cursor this server gave out")
	}
	return n, nil
}

func auditPage(rows []*exithub.AuditRecord, p exithub.Page) ([]*exithub.AuditRecord, exithub.PageInfo) {
	rows, more := exithub.Trim(p, rows)
	cursors := make([]string, len(rows))
	for i, r := range rows {
		cursors[i] = base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(r.ID, 10)))
	}
	return rows, p.Info(cursors, more)
}

// AuditLog reads the trail, newest first: all of it for the operator's
// auditors, what concerns its citizens for a municipality.
func (d *DB) AuditLog(ctx context.Context, f exithub.AuditFilter, page exithub.Page) ([]*exithub.AuditRecord, exithub.PageInfo, error) {
	below, above, err := auditBounds(page)
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	out, err := d.auditRecords(ctx, f, auditRange{below: below, above: above, order: order(page), limit: page.Size + 1})
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	out, info := auditPage(out, page)
	return out, info, nil
}

// AccessLog is a citizen's access log as the dossier shows it: the latest
// exithub.AccessLogLimit records that concern the citizen, newest first,
// in one read.
func (d *DB) AccessLog(ctx context.Context, citizenID string) ([]*exithub.AuditRecord, error) {
	return d.auditRecords(ctx, exithub.AuditFilter{CitizenID: citizenID}, auditRange{below: 1 << 62, order: "DESC", limit: exithub.AccessLogLimit})
}

// auditRange is which records a read takes: ids strictly between above and
// below, in order, at most limit.
type auditRange struct {
	below, above int64
	order        string
	limit        int
}

// auditRecords reads the records of a range in the caller's scope.
func (d *DB) auditRecords(ctx context.Context, f exithub.AuditFilter, r auditRange) ([]*exithub.AuditRecord, error) {
	var out []*exithub.AuditRecord
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResAudit, exithub.ActRead)
		if err != nil {
			return err
		}
		own := ""
		if s != exithub.ScopeAll {
			own = p.Org.ID
		}
		var citizen *string
		if f.CitizenID != "" {
			c, err := citizenArgRow(ctx, tx, f.CitizenID)
			if err != nil {
				return err
			}
			citizen = &c.CitizenRef
		}
		sql, args := auditPageSQL(r, own, citizen, f)
		rows, _ := tx.Query(ctx, sql, args...)
		out, err = pgx.CollectRows(rows, scanAudit)
		return err
	})
	return out, err
}

// auditPageSQL is a range of the trail with only the filters given (see
// query): the caller's own records unless it may read all, one citizen's,
// a span of time, one organisation's.
func auditPageSQL(r auditRange, own string, citizen *string, f exithub.AuditFilter) (string, []any) {
	q := &query{}
	from := "hub.audit_log l"
	if citizen != nil {
		// Through the index on citizen_refs, which row-level security keeps
		// a query on the table from using (migration 019).
		from = "hub.citizen_audit_log(" + q.param(*citizen) + ") l"
	}
	q.and("l.id < " + q.param(r.below))
	if r.above > 0 {
		q.and("l.id > " + q.param(r.above))
	}
	if own != "" {
		p := q.param(own)
		q.and("(l.municipality_id = " + p + "::uuid OR l.org_id = " + p + "::uuid)")
	}
	if f.Since != nil {
		q.and("l.at >= " + q.param(*f.Since))
	}
	if f.Until != nil {
		q.and("l.at < " + q.param(*f.Until))
	}
	if f.OrgCode != "" {
		q.and("l.org_id = (SELECT id FROM hub.organisations WHERE code = " + q.param(f.OrgCode) + ")")
	}
	return "SELECT " + auditColumns + " FROM " + from + " WHERE " + q.whereClause() + `
		ORDER BY l.id ` + r.order + limit(r.limit), q.args
}
