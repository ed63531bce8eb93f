package db

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// statisticsScope refuses anyone the policy does not give aggregates to.
func (d *DB) statisticsScope(tx pgx.Tx, p *exithub.Principal) error {
	auditAlways(tx)
	s, err := d.scope(p, exithub.ResStatistics, exithub.ActRead)
	if err != nil {
		return err
	}
	if s != exithub.ScopeAggregate && s != exithub.ScopeAll {
		return exithub.ErrForbidden
	}
	return nil
}

// PersonFacts reads the persons helped on a day, aggregated to the
// dimensions asked for: counts and cell keys, never a person.
func (d *DB) PersonFacts(ctx context.Context, asOf exithub.Date, dims []exithub.Dimension) ([]exithub.PersonFact, error) {
	var out []exithub.PersonFact
	err := d.readReplica(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if err := d.statisticsScope(tx, p); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT category, course_state, track, coalesce(municipality_id::text, ''), coalesce(home_id::text, ''),
			coalesce(gender, ''), coalesce(band, ''), persons, key_sum
			FROM hub.statistics_cells($1, $2, $3, $4, $5)`, dateValue(asOf), slices.Contains(dims, exithub.DimMunicipality),
			slices.Contains(dims, exithub.DimHomeMunicipality), slices.Contains(dims, exithub.DimGender), slices.Contains(dims, exithub.DimBirthYearBand))
		var err error
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (exithub.PersonFact, error) {
			var f exithub.PersonFact
			var key int64
			err := r.Scan(&f.Category, &f.CourseState, &f.Track, &f.MunicipalityID, &f.HomeID, &f.Gender, &f.BirthYearBand, &f.N, &key)
			f.Key = exithub.CellKey(uint32(key))
			return f, err
		})
		return err
	})
	return out, err
}

// CourseCount is a number of courses of a kind and track.
type CourseCount struct {
	Kind  exithub.CourseKind
	Track *exithub.Track
	N     int
}

// CoursesInPeriod counts courses started (or ended) between two days.
func (d *DB) CoursesInPeriod(ctx context.Context, from, to exithub.Date, ended bool) ([]CourseCount, error) {
	var out []CourseCount
	err := d.aggregate(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, "SELECT kind, track, courses FROM hub.statistics_courses($1, $2, $3) ORDER BY 1, 2",
			dateValue(from), dateValue(to), ended)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[CourseCount])
		return err
	})
	return out, err
}

// KeyCount is a number by a key (a status, an NGO id, a track and outcome).
type KeyCount struct {
	Key    *string
	Second *string
	N      int
}

// ReferralsByStatus counts referrals by their status at the end of a day.
func (d *DB) ReferralsByStatus(ctx context.Context, asOf exithub.Date) ([]KeyCount, error) {
	return d.keyCounts(ctx, "SELECT status, NULL::text, referrals FROM hub.statistics_referral_status($1) ORDER BY 1", asOf)
}

// ReferralsByNGO counts referrals sent by a day, by NGO.
func (d *DB) ReferralsByNGO(ctx context.Context, asOf exithub.Date) ([]KeyCount, error) {
	return d.keyCounts(ctx, "SELECT ngo_id::text, NULL::text, referrals FROM hub.statistics_referral_ngo($1) ORDER BY 1", asOf)
}

// Outcomes counts the outcomes of CTI courses ended by a day, by track.
func (d *DB) Outcomes(ctx context.Context, asOf exithub.Date) ([]KeyCount, error) {
	return d.keyCounts(ctx, "SELECT track, outcome, courses FROM hub.statistics_outcomes($1) ORDER BY 1, 2", asOf)
}

func (d *DB) keyCounts(ctx context.Context, sql string, asOf exithub.Date) ([]KeyCount, error) {
	var out []KeyCount
	err := d.aggregate(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, sql, dateValue(asOf))
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[KeyCount])
		return err
	})
	return out, err
}

func (d *DB) aggregate(ctx context.Context, fn func(pgx.Tx) error) error {
	return d.readReplica(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if err := d.statisticsScope(tx, p); err != nil {
			return err
		}
		return fn(tx)
	})
}
