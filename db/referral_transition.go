package db

import (
	"context"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// TransitionReferral moves a referral along its state machine. The row is
// locked first, so of two concurrent transitions exactly one wins and the
// other sees the new state (CONFLICT).
func (d *DB) TransitionReferral(ctx context.Context, t exithub.Transition) (*exithub.Referral, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	var out *exithub.Referral
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResReferral, t.Action)
		if err != nil {
			return err
		}
		r, err := lockReferral(ctx, tx, s, t.ReferralID)
		if err != nil {
			return err
		}
		if err := exithub.CheckVersion("referral", r.Version, t.ExpectedVersion); err != nil {
			return err
		}
		next, err := r.Next(t.Action)
		if err != nil {
			return err
		}
		out, err = applyTransition(ctx, tx, p, r, next, t)
		return err
	})
	return out, err
}

// lockReferral reads a referral and locks its row for the transaction.
func lockReferral(ctx context.Context, tx pgx.Tx, s exithub.Scope, id string) (*exithub.Referral, error) {
	return selectReferral(ctx, tx, s, id, "FOR UPDATE")
}

func applyTransition(ctx context.Context, tx pgx.Tx, p *exithub.Principal, r *exithub.Referral, next exithub.ReferralStatus, t exithub.Transition) (*exithub.Referral, error) {
	var outcome *string
	if t.Outcome != "" {
		outcome = &t.Outcome
	}
	rows, _ := tx.Query(ctx, `UPDATE hub.referrals r SET status = $2, outcome = coalesce($3, r.outcome),
		version = r.version + 1, updated_at = now() WHERE r.id = $1 RETURNING `+referralColumns, r.ID, string(next), outcome)
	updated, err := pgx.CollectExactlyOneRow(rows, scanReferral)
	if err != nil {
		return nil, err
	}
	why := t.Reason
	if why == "" {
		why = t.Outcome
	}
	var text *string
	if why != "" {
		text = &why
	}
	from, to := string(r.Status), string(next)
	if err := insertEvent(ctx, tx, p, r.ID, "TRANSITION", &from, &to, text); err != nil {
		return nil, err
	}
	kind := "STATUS_CHANGED"
	if next == exithub.StatusCancelled {
		kind = "CANCELLED"
	}
	return updated, notify(ctx, tx, noticeOf(updated, kind))
}

// AddReferralNote records progress on a referral, visible to both sides.
func (d *DB) AddReferralNote(ctx context.Context, referralID, text string) (*exithub.ReferralEvent, error) {
	if err := exithub.ValidateNote(text); err != nil {
		return nil, err
	}
	var out *exithub.ReferralEvent
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResReferral, exithub.ActNote)
		if err != nil {
			return err
		}
		r, err := lockReferral(ctx, tx, s, referralID)
		if err != nil {
			return err
		}
		if err := insertEvent(ctx, tx, p, r.ID, "NOTE", nil, nil, &text); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, "SELECT "+eventColumns+" FROM hub.referral_events e WHERE e.referral_id = $1 AND e.kind = 'NOTE' ORDER BY e.at DESC, e.id DESC LIMIT 1", r.ID)
		if out, err = pgx.CollectExactlyOneRow(rows, scanEvent); err != nil {
			return err
		}
		return notify(ctx, tx, noticeOf(r, "NOTE_ADDED"))
	})
	return out, err
}

const eventColumns = `e.id, e.referral_id, e.kind, e.from_status, e.to_status, e.text, e.actor_sub, e.actor_org_id, e.at`

func scanEvent(row pgx.CollectableRow) (*exithub.ReferralEvent, error) {
	var e exithub.ReferralEvent
	err := row.Scan(&e.ID, &e.ReferralID, &e.Kind, &e.From, &e.To, &e.Text, &e.ActorSub, &e.ActorOrgID, &e.At)
	return &e, err
}

func insertEvent(ctx context.Context, tx pgx.Tx, p *exithub.Principal, referralID, kind string, from, to, text *string) error {
	_, err := tx.Exec(ctx, `INSERT INTO hub.referral_events (referral_id, municipality_id, ngo_id, kind, from_status,
		to_status, text, actor_sub, actor_org_id, at)
		SELECT r.id, r.municipality_id, r.ngo_id, $2, $3, $4, $5, $6, $7, now() FROM hub.referrals r WHERE r.id = $1`,
		referralID, kind, from, to, text, p.Sub, p.Org.ID)
	return err
}

// ReferralEvents reads the history of many referrals in one query, for a
// dataloader batch; row-level security leaves out what the caller may not see.
func (d *DB) ReferralEvents(ctx context.Context, ids []string) (map[string][]*exithub.ReferralEvent, error) {
	out := map[string][]*exithub.ReferralEvent{}
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResReferral, exithub.ActRead)
		if err != nil {
			return err
		}
		filter, err := referralFilter(s)
		if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, "SELECT "+eventColumns+` FROM hub.referral_events e JOIN hub.referrals r ON r.id = e.referral_id
			WHERE e.referral_id = ANY($1) AND `+filter+` ORDER BY e.at, e.id`, ids)
		evs, err := pgx.CollectRows(rows, scanEvent)
		for _, e := range evs {
			out[e.ReferralID] = append(out[e.ReferralID], e)
		}
		return err
	})
	return out, err
}
