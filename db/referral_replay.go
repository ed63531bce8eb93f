package db

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// maxReplay bounds one replay: `since` is meant to cover the gap of an
// outage, not to read a whole history.
const maxReplay = 10000

// ReferralChangesSince reads, oldest first, the changes the referrals'
// history records after since, among those the caller may read
// (row-level security leaves out the rest), as a subscriber hears of them.
func (d *DB) ReferralChangesSince(ctx context.Context, since time.Time) ([]exithub.ReferralChange, error) {
	var out []exithub.ReferralChange
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResReferral, exithub.ActRead); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT `+eventColumns+`, e.municipality_id, coalesce(e.ngo_id::text, ''),
			coalesce(r.status, '') FROM hub.referral_events e JOIN hub.referrals r ON r.id = e.referral_id
			WHERE e.at > $1 ORDER BY e.at, e.id LIMIT $2`, since, maxReplay+1)
		var err error
		out, err = pgx.CollectRows(rows, scanChange)
		if err == nil && len(out) > maxReplay {
			return exithub.Invalid("since", "more than %d changes since then; read the inbox instead", maxReplay)
		}
		return err
	})
	return out, err
}

func scanChange(row pgx.CollectableRow) (exithub.ReferralChange, error) {
	var e exithub.ReferralEvent
	var c exithub.ReferralChange
	err := row.Scan(&e.ID, &e.ReferralID, &e.Kind, &e.From, &e.To, &e.Text, &e.ActorSub, &e.ActorOrgID, &e.At,
		&c.MunicipalityID, &c.NGOID, &c.Status)
	c.ReferralID, c.Kind = e.ReferralID, exithub.ChangeKindOf(&e)
	return c, err
}
