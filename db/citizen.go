package db

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"exithub"
)

const citizenColumns = `c.id, c.pseudonym IS NULL, c.municipality_id, c.home_id, c.alias, c.birth_year,
 c.gender, c.version, c.created_at, c.updated_at, c.citizen_ref`

func scanCitizen(row pgx.CollectableRow) (*exithub.Citizen, error) {
	var c exithub.Citizen
	err := row.Scan(&c.ID, &c.Anonymous, &c.MunicipalityID, &c.HomeID, &c.Alias, &c.BirthYear,
		&c.Gender, &c.Version, &c.CreatedAt, &c.UpdatedAt, &c.CitizenRef)
	return &c, err
}

// RegisterCitizen registers a citizen under a pseudonym. The same CPR in the
// same municipality is the same citizen; the CPR itself goes no further than
// this function's HMAC.
func (d *DB) RegisterCitizen(ctx context.Context, in exithub.RegisterCitizen) (*exithub.Citizen, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var pseudonym []byte
	if in.CPR != "" {
		cpr, err := exithub.ParseCPR(in.CPR) // Validate has parsed it: this cannot fail today
		if err != nil {
			return nil, err
		}
		pseudonym = exithub.Pseudonym(d.pseudonymKey, cpr)
	}
	var out *exithub.Citizen
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCitizen, exithub.ActCreate); err != nil {
			return err
		}
		id := uuid.NewString()
		prior, err := claimKey(ctx, tx, p, in.IdempotencyKey, "registerCitizen", id, in)
		if err != nil {
			return err
		}
		if prior != "" {
			out, err = findCitizen(ctx, tx, prior)
			return err
		}
		homeID, err := municipalityID(ctx, tx, in.HomeCode, p.Org.ID)
		if err != nil {
			return err
		}
		out, err = insertCitizen(ctx, tx, id, pseudonym, p.Org.ID, homeID, in)
		if err == nil {
			touch(tx, "Citizen", out.CitizenRef, out.CitizenRef, out.MunicipalityID)
		}
		return err
	})
	return out, err
}

func insertCitizen(ctx context.Context, tx pgx.Tx, id string, pseudonym []byte, muni, home string, in exithub.RegisterCitizen) (*exithub.Citizen, error) {
	rows, _ := tx.Query(ctx, `INSERT INTO hub.citizens AS c (id, pseudonym, municipality_id, home_id, alias,
		birth_year, gender, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now())
		ON CONFLICT (municipality_id, pseudonym) WHERE pseudonym IS NOT NULL DO NOTHING
		RETURNING `+citizenColumns, id, pseudonym, muni, home, in.Alias, in.BirthYear, str(in.Gender))
	c, err := pgx.CollectExactlyOneRow(rows, scanCitizen)
	if err != pgx.ErrNoRows {
		return c, err
	}
	// Registered before: the same person in this municipality.
	rows, _ = tx.Query(ctx, "SELECT "+citizenColumns+" FROM hub.citizens c WHERE c.municipality_id = $1 AND c.pseudonym = $2",
		muni, pseudonym)
	return pgx.CollectExactlyOneRow(rows, scanCitizen)
}

// municipalityID resolves a municipality's code; an empty code means def.
func municipalityID(ctx context.Context, tx pgx.Tx, code, def string) (string, error) {
	if code == "" {
		return def, nil
	}
	var id string
	err := tx.QueryRow(ctx, "SELECT id FROM hub.organisations WHERE code = $1 AND kind = 'MUNICIPALITY'", code).Scan(&id)
	if err == pgx.ErrNoRows {
		return "", exithub.Invalid("homeMunicipality", "no municipality has code %q", code)
	}
	return id, err
}

// citizenArg checks the citizen a write names: one the caller cannot find
// is BAD_USER_INPUT on citizenId; any other failure (a lost connection,
// say) stays what it is, so that a client retries what it may retry.
func citizenArg(ctx context.Context, tx pgx.Tx, id string) error {
	_, err := citizenArgRow(ctx, tx, id)
	return err
}

// citizenArgRow is citizenArg's citizen, for the callers that read it.
func citizenArgRow(ctx context.Context, tx pgx.Tx, id string) (*exithub.Citizen, error) {
	c, err := findCitizen(ctx, tx, id)
	if errors.Is(err, pgx.ErrNoRows) || exithub.ErrorCode(err) == exithub.ENOTFOUND {
		return nil, exithub.Invalid("citizenId", "no such citizen")
	}
	return c, err
}

func findCitizen(ctx context.Context, tx pgx.Tx, id string) (*exithub.Citizen, error) {
	if !isUUID(id) {
		return nil, exithub.ErrNotFound
	}
	rows, _ := tx.Query(ctx, "SELECT "+citizenColumns+" FROM hub.citizens c WHERE c.id = $1", id)
	c, err := pgx.CollectExactlyOneRow(rows, scanCitizen)
	if err == nil {
		touch(tx, "Citizen", c.CitizenRef, c.CitizenRef, c.MunicipalityID)
	}
	return c, err
}

// FindCitizen reads one citizen of the caller's municipality; any other id
// is NOT_FOUND, exactly like one that does not exist.
func (d *DB) FindCitizen(ctx context.Context, id string) (*exithub.Citizen, error) {
	var out *exithub.Citizen
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCitizen, exithub.ActRead); err != nil {
			return err
		}
		var err error
		out, err = findCitizen(ctx, tx, id)
		return err
	})
	return out, err
}

// FindCitizens lists the caller's citizens, newest first, a keyset page.
func (d *DB) FindCitizens(ctx context.Context, f exithub.CitizenFilter, page exithub.Page) ([]*exithub.Citizen, exithub.PageInfo, error) {
	k, err := keyset(page)
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	var out []*exithub.Citizen
	err = d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCitizen, exithub.ActRead); err != nil {
			return err
		}
		sql, args := citizenPageSQL(p.Org.ID, k, f)
		rows, _ := tx.Query(ctx, sql, args...)
		out, err = pgx.CollectRows(rows, scanCitizen)
		for _, c := range out {
			touch(tx, "Citizen", c.CitizenRef, c.CitizenRef, c.MunicipalityID)
		}
		return err
	})
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	out, info := pageOf(out, page, func(c *exithub.Citizen) (time.Time, string) { return c.CreatedAt, c.ID })
	return out, info, nil
}

// TransferCitizen hands a citizen with its whole history to another
// municipality; the old one loses access in the same transaction.
func (d *DB) TransferCitizen(ctx context.Context, id, toCode, reason string) (*exithub.Transfer, error) {
	if err := exithub.ValidateTransferReason(reason); err != nil {
		return nil, err
	}
	var out exithub.Transfer
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCitizen, exithub.ActTransfer); err != nil {
			return err
		}
		toID, err := municipalityID(ctx, tx, toCode, "")
		if exithub.ErrorCode(err) == exithub.EINVALID {
			return exithub.Invalid("to", "no municipality has code %q", toCode)
		}
		if err != nil {
			return err
		}
		if toID == p.Org.ID {
			return exithub.Invalid("to", "the citizen is already served here")
		}
		if !isUUID(id) {
			return exithub.ErrNotFound
		}
		var ok bool
		var ref string
		if err := tx.QueryRow(ctx, "SELECT hub.transfer_citizen($1, $2, $3, $4, now()), hub.citizen_ref($1)", id, toID, reason, p.Sub).Scan(&ok, &ref); err != nil {
			return err
		}
		if !ok {
			return exithub.ErrNotFound
		}
		out = exithub.Transfer{CitizenID: id, FromID: p.Org.ID, ToID: toID, Reason: reason}
		touch(tx, "Citizen", ref, ref, p.Org.ID)
		return tx.QueryRow(ctx, "SELECT now()").Scan(&out.At)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// citizenPageSQL is a keyset page of a municipality's citizens with only
// the bounds and filter given (see query).
func citizenPageSQL(municipality string, k keysetBounds, f exithub.CitizenFilter) (string, []any) {
	q := &query{}
	q.and("c.municipality_id = " + q.param(municipality))
	q.keyset(k, "c.created_at", "c.id")
	if f.AliasPrefix != "" {
		q.and("lower(c.alias) LIKE lower(" + q.param(likePrefix(f.AliasPrefix)) + ") || '%'")
	}
	return "SELECT " + citizenColumns + " FROM hub.citizens c WHERE " + q.whereClause() + `
		ORDER BY c.created_at ` + k.order + `, c.id ` + k.order + limit(k.limit), q.args
}

// likePrefix escapes LIKE's wildcards so that a filter is a plain prefix.
func likePrefix(s string) string {
	r := make([]rune, 0, len(s))
	for _, c := range s {
		if c == '%' || c == '_' || c == '\\' {
			r = append(r, '\\')
		}
		r = append(r, c)
	}
	return string(r)
}
