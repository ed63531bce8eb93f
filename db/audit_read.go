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

// auditCursor is the id of the last record seen; newest first.
func auditCursor(p exithub.Page) (int64, error) {
	if err := exithub.ValidatePage(p); err != nil {
		return 0, err
	}
	if p.After == "" {
		return 1 << 62, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(p.After)
	n, perr := strconv.ParseInt(string(b), 10, 64)
	if err != nil || perr != nil {
		return 0, exithub.Invalid("after", "not a cursor this server gave out")
	}
	return n, nil
}

func auditPage(rows []*exithub.AuditRecord, first int) ([]*exithub.AuditRecord, exithub.PageInfo) {
	var info exithub.PageInfo
	if len(rows) > first {
		rows, info.HasNextPage = rows[:first], true
	}
	for _, r := range rows {
		info.Cursors = append(info.Cursors, base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(r.ID, 10))))
	}
	if n := len(info.Cursors); n > 0 {
		info.EndCursor = info.Cursors[n-1]
	}
	return rows, info
}

// AuditLog reads the trail, newest first: all of it for the operator's
// auditors, what concerns its citizens for a municipality.
func (d *DB) AuditLog(ctx context.Context, f exithub.AuditFilter, page exithub.Page) ([]*exithub.AuditRecord, exithub.PageInfo, error) {
	before, err := auditCursor(page)
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	var out []*exithub.AuditRecord
	err = d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
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
			c, err := findCitizen(ctx, tx, f.CitizenID)
			if err != nil {
				return err
			}
			citizen = &c.CitizenRef
		}
		rows, _ := tx.Query(ctx, "SELECT "+auditColumns+` FROM hub.audit_log l WHERE l.id < $1
			AND ($2 = '' OR l.municipality_id::text = $2 OR l.org_id::text = $2)
			AND ($3::text IS NULL OR l.citizen_refs @> ARRAY[$3::text])
			AND ($4::timestamptz IS NULL OR l.at >= $4) AND ($5::timestamptz IS NULL OR l.at < $5)
			AND ($6 = '' OR l.org_id = (SELECT id FROM hub.organisations WHERE code = $6))
			ORDER BY l.id DESC LIMIT $7`, before, own, citizen, f.Since, f.Until, f.OrgCode, page.First+1)
		out, err = pgx.CollectRows(rows, scanAudit)
		return err
	})
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	out, info := auditPage(out, page.First)
	return out, info, nil
}
