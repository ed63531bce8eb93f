package db

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// NotifyChannel is the PostgreSQL channel on which referral changes travel
// between server instances.
const NotifyChannel = "exithub_referrals"

// referralNotice is the payload of a notification: ids only, never personal
// data, since a notification reaches every listening instance.
type referralNotice = exithub.ReferralChange

func noticeOf(r *exithub.Referral, kind string) referralNotice {
	n := referralNotice{ReferralID: r.ID, MunicipalityID: r.MunicipalityID, Kind: kind, Status: string(r.Status)}
	if r.ToID != nil {
		n.NGOID = *r.ToID
	}
	return n
}

// notify queues a notification in the transaction: PostgreSQL delivers it
// at commit and never for a rollback, so no event announces unsaved work.
func notify(ctx context.Context, tx pgx.Tx, n referralNotice) error {
	b, err := json.Marshal(n)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "SELECT pg_notify($1, $2)", NotifyChannel, string(b))
	return err
}
