package db

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// sealRecord is an audit record in the form its hash covers.
type sealRecord struct {
	ID        int64
	At        time.Time
	RequestID string
	Sub       string
	OrgID     *string
	Role      string
	Operation string
	Objects   string
	Citizens  []string
	Muni      *string
	Outcome   string
}

const sealColumns = `l.id, l.at, l.request_id, l.sub, l.org_id::text, l.role, l.operation, l.objects::text,
 l.citizen_refs, l.municipality_id::text, l.outcome`

func scanSealRecord(row pgx.CollectableRow) (sealRecord, error) {
	var r sealRecord
	err := row.Scan(&r.ID, &r.At, &r.RequestID, &r.Sub, &r.OrgID, &r.Role, &r.Operation, &r.Objects, &r.Citizens, &r.Muni, &r.Outcome)
	return r, err
}

// canonical is the text a record's hash covers: every field, in order. It
// is hub.seal_canonical's, written again so that the verifier does not take
// the sealer's word for it.
func (r sealRecord) canonical() string {
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return strings.Join([]string{fmt.Sprint(r.ID), r.At.UTC().Format(time.RFC3339Nano), r.RequestID, r.Sub, deref(r.OrgID),
		r.Role, r.Operation, r.Objects, strings.Join(r.Citizens, ","), deref(r.Muni), r.Outcome}, "\x1f")
}

// chain is the hash of a record after prev.
func chain(prev []byte, r sealRecord) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write([]byte(r.canonical()))
	return h.Sum(nil)
}

// Seal chains the records committed since the last round, in the order it
// finds them, and returns how many it sealed. Requests never wait on it:
// they only insert. The chain is computed by hub.seal(), which runs as the
// sealer role: the app login may call it but cannot become the sealer,
// which reads every organisation's audit rows.
func (d *DB) Seal(ctx context.Context) (int, error) {
	var n int
	err := d.pool.QueryRow(ctx, "SELECT hub.seal()").Scan(&n)
	return n, translate(err)
}

// RunSealer seals every interval until ctx ends.
func (d *DB) RunSealer(ctx context.Context, every time.Duration) {
	d.repeat(ctx, "audit sealer", every, false, func(ctx context.Context) error {
		_, err := d.Seal(ctx)
		return err
	})
}
