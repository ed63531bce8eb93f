package db

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"exithub"
)

// fundingScope asks the policy about res and returns the recipient filter:
// "" for every row, or the caller's organisation when it may read only its own.
func (d *DB) fundingScope(p *exithub.Principal, res exithub.Resource) (string, error) {
	s, err := d.scope(p, res, exithub.ActRead)
	if err != nil {
		return "", err
	}
	if s == exithub.ScopeAll {
		return "", nil
	}
	return p.Org.ID, nil
}

// FindProgramme reads a programme by code.
func (d *DB) FindProgramme(ctx context.Context, code string) (*exithub.Programme, error) {
	var out exithub.Programme
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResProgramme, exithub.ActRead); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT id, code, name, frame_ore FROM hub.programmes WHERE code = $1", code).
			Scan(&out.ID, &out.Code, &out.Name, &out.Frame)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// BudgetLines reads a programme's budget lines in their order.
func (d *DB) BudgetLines(ctx context.Context, programmeID string) ([]*exithub.BudgetLine, error) {
	var out []*exithub.BudgetLine
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResProgramme, exithub.ActRead); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT id, programme_id, code, name, earmark_ore FROM hub.budget_lines
			WHERE programme_id = $1 ORDER BY position, code`, programmeID)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[exithub.BudgetLine])
		return err
	})
	return out, err
}

const grantColumns = "g.id, g.budget_line_id, g.recipient_id, g.amount_ore, g.decided_on, g.purpose"

func scanGrant(row pgx.CollectableRow) (*exithub.Grant, error) {
	var g exithub.Grant
	var on dateValue
	err := row.Scan(&g.ID, &g.BudgetLineID, &g.RecipientID, &g.Amount, &on, &g.Purpose)
	g.DecidedOn = exithub.Date(on)
	return &g, err
}

// Grants reads the grants of a programme the caller may see: all of them, or
// a recipient's own.
func (d *DB) Grants(ctx context.Context, programmeID string) ([]*exithub.Grant, error) {
	var out []*exithub.Grant
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		recipient, err := d.fundingScope(p, exithub.ResGrant)
		if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, "SELECT "+grantColumns+` FROM hub.grants g WHERE g.programme_id = $1
			AND ($2 = '' OR g.recipient_id::text = $2) ORDER BY g.decided_on, g.id`, programmeID, recipient)
		out, err = pgx.CollectRows(rows, scanGrant)
		return err
	})
	return out, err
}

// Disbursements reads the disbursements of a programme the caller may see.
func (d *DB) Disbursements(ctx context.Context, programmeID string) ([]*exithub.Disbursement, error) {
	var out []*exithub.Disbursement
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		recipient, err := d.fundingScope(p, exithub.ResDisbursement)
		if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT x.id, x.grant_id, x.amount_ore, x.paid_on FROM hub.disbursements x
			JOIN hub.grants g ON g.id = x.grant_id WHERE g.programme_id = $1
			AND ($2 = '' OR g.recipient_id::text = $2) ORDER BY x.paid_on, x.id`, programmeID, recipient)
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*exithub.Disbursement, error) {
			var x exithub.Disbursement
			var on dateValue
			err := r.Scan(&x.ID, &x.GrantID, &x.Amount, &on)
			x.PaidOn = exithub.Date(on)
			return &x, err
		})
		return err
	})
	return out, err
}

// CreateGrant grants money from a budget line. The database refuses a grant
// that would take the line past its earmark or the programme past its frame,
// however many grant admins write at once.
func (d *DB) CreateGrant(ctx context.Context, in exithub.NewGrant) (*exithub.Grant, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *exithub.Grant
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResGrant, exithub.ActCreate); err != nil {
			return err
		}
		id := uuid.NewString()
		prior, err := claimKey(ctx, tx, p, in.IdempotencyKey, "createGrant", id, in)
		if err != nil {
			return err
		}
		if prior != "" {
			rows, _ := tx.Query(ctx, "SELECT "+grantColumns+" FROM hub.grants g WHERE g.id = $1", prior)
			out, err = pgx.CollectExactlyOneRow(rows, scanGrant)
			return err
		}
		var prog, line string
		var recipient *string // NULL: no organisation has the code
		err = tx.QueryRow(ctx, `SELECT p.id, l.id, (SELECT id FROM hub.organisations WHERE code = $3)
			FROM hub.programmes p JOIN hub.budget_lines l ON l.programme_id = p.id WHERE p.code = $1 AND l.code = $2`,
			in.ProgrammeCode, in.BudgetLineCode, in.RecipientCode).Scan(&prog, &line, &recipient)
		if errors.Is(err, pgx.ErrNoRows) {
			return exithub.Invalid("budgetLine", "no budget line %q in programme %q", in.BudgetLineCode, in.ProgrammeCode)
		}
		if err != nil {
			return err
		}
		if recipient == nil {
			return exithub.Invalid("recipient", "no organisation has code %q", in.RecipientCode)
		}
		rows, _ := tx.Query(ctx, `INSERT INTO hub.grants AS g (id, programme_id, budget_line_id, recipient_id, amount_ore, decided_on, purpose, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING `+grantColumns,
			id, prog, line, recipient, in.Amount, dateValue(in.DecidedOn), in.Purpose)
		out, err = pgx.CollectExactlyOneRow(rows, scanGrant)
		if err == nil {
			touch(tx, "Grant", out.ID, "", "")
		}
		return fundingViolation(err)
	})
	return out, err
}

// fundingViolation names the invariant a refused write would have broken.
func fundingViolation(err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	switch pgErr.ConstraintName {
	case "grant_within_earmark":
		return exithub.Invalid("amount", "grants would exceed the budget line's earmark")
	case "grant_within_frame":
		return exithub.Invalid("amount", "grants would exceed the programme's frame")
	case "disbursement_within_grant":
		return exithub.Invalid("amount", "disbursements would exceed the grant")
	}
	return err
}

// CreateDisbursement records a payment against a grant; the database
// refuses one that would pay out more than the grant.
func (d *DB) CreateDisbursement(ctx context.Context, in exithub.NewDisbursement) (*exithub.Disbursement, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	out := &exithub.Disbursement{GrantID: in.GrantID, Amount: in.Amount, PaidOn: in.PaidOn}
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResDisbursement, exithub.ActCreate); err != nil {
			return err
		}
		if !isUUID(in.GrantID) {
			return exithub.Invalid("grantId", "no such grant")
		}
		out.ID = uuid.NewString()
		prior, err := claimKey(ctx, tx, p, in.IdempotencyKey, "createDisbursement", out.ID, in)
		if err != nil {
			return err
		}
		if prior != "" {
			var on dateValue
			out.ID = prior
			err = tx.QueryRow(ctx, "SELECT grant_id, amount_ore, paid_on FROM hub.disbursements WHERE id = $1", prior).Scan(&out.GrantID, &out.Amount, &on)
			out.PaidOn = exithub.Date(on)
			return err
		}
		touch(tx, "Disbursement", out.ID, "", "")
		_, err = tx.Exec(ctx, `INSERT INTO hub.disbursements (id, grant_id, amount_ore, paid_on, created_at)
			VALUES ($1, $2, $3, $4, now())`, out.ID, in.GrantID, in.Amount, dateValue(in.PaidOn))
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23503" {
			return exithub.Invalid("grantId", "no such grant")
		}
		return fundingViolation(err)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AllocateByPopulation previews the split of an amount from a budget line
// among the project municipalities (those with stored populations) by their
// latest stored population, exact to the øre. The line must exist: a
// preview for a line that does not is a typing error, not a split.
func (d *DB) AllocateByPopulation(ctx context.Context, budgetLine string, amount exithub.Money) ([]exithub.Allocation, error) {
	var out []exithub.Allocation
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResGrant, exithub.ActCreate); err != nil {
			return err
		}
		var known bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hub.budget_lines WHERE code = $1)`, budgetLine).Scan(&known); err != nil {
			return err
		}
		if !known {
			return exithub.Invalid("budgetLine", "no budget line has code %q", budgetLine)
		}
		rows, _ := tx.Query(ctx, `SELECT o.id, (SELECT p.population FROM hub.populations p WHERE p.org_id = o.id
			ORDER BY p.as_of DESC LIMIT 1) FROM hub.organisations o WHERE o.kind = 'MUNICIPALITY'
			AND EXISTS (SELECT 1 FROM hub.populations p WHERE p.org_id = o.id) ORDER BY o.code`)
		var err error
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (exithub.Allocation, error) {
			var a exithub.Allocation
			return a, r.Scan(&a.OrganisationID, &a.Population)
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return allocate(out, amount)
}

func allocate(as []exithub.Allocation, amount exithub.Money) ([]exithub.Allocation, error) {
	weights := make([]int64, len(as))
	for i, a := range as {
		weights[i] = int64(a.Population)
	}
	shares, err := exithub.Allocate(amount, weights)
	for i := range as {
		if err == nil {
			as[i].Amount = shares[i]
		}
	}
	return as, err
}

// BudgetLinesByIDs reads budget lines by id, for a dataloader batch.
func (d *DB) BudgetLinesByIDs(ctx context.Context, ids []string) (map[string]*exithub.BudgetLine, error) {
	out := map[string]*exithub.BudgetLine{}
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResProgramme, exithub.ActRead); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT id, programme_id, code, name, earmark_ore FROM hub.budget_lines
			WHERE id = ANY($1) ORDER BY id`, ids)
		lines, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[exithub.BudgetLine])
		for _, l := range lines {
			out[l.ID] = l
		}
		return err
	})
	return out, err
}
