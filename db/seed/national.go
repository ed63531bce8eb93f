package seed

import (
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// National sizes at scale 1.0: a hub serving all of Denmark for a decade.
const (
	nationalMunicipalities = 98
	nationalNGOs           = 200
	nationalCitizens       = 1_000_000
	nationalReferrals      = 3_000_000
	nationalCourses        = 2_000_000 // five events each: 10 million course events
)

// NationalCounts is what a national load made.
type NationalCounts struct {
	Municipalities, NGOs, Citizens, Consents, Referrals, Courses, CourseEvents int
}

// National loads a synthetic national-scale dataset with COPY, for load
// tests: scale 1.0 is a million citizens, three million referrals and ten
// million course events; 0.1 a tenth. Row triggers are off during the copy
// and the statistics' rollups are then built in one pass, as the migration
// that introduced them does.
func National(ctx context.Context, ownerURL string, scale float64) (NationalCounts, error) {
	return NationalWithProgress(ctx, ownerURL, scale, nil)
}

// NationalWithProgress is National, telling progress how long each step
// took, so an operator sees where a large load spends its time.
func NationalWithProgress(ctx context.Context, ownerURL string, scale float64, progress func(step string, took time.Duration)) (NationalCounts, error) {
	if scale <= 0 || scale > 10 {
		return NationalCounts{}, fmt.Errorf("scale must be in (0, 10]")
	}
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return NationalCounts{}, err
	}
	defer conn.Close(ctx)
	if progress == nil {
		progress = func(string, time.Duration) {}
	}
	g := &generator{rng: mrand.New(mrand.NewPCG(uint64(time.Now().UnixNano()), 7)), scale: scale, progress: progress}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return g.load(ctx, tx) })
	if err != nil {
		return NationalCounts{}, err
	}
	start := time.Now()
	_, err = conn.Exec(ctx, "ANALYZE")
	progress("analyze", time.Since(start))
	return g.counts, err
}

type generator struct {
	rng       *mrand.Rand
	scale     float64
	munis     []string
	ngos      []string
	citizens  []citizenRow
	counts    NationalCounts
	runPrefix string
	progress  func(string, time.Duration)
	indexes   []indexDef
}

type citizenRow struct{ id, muni, ref string }

func (g *generator) n(base int) int { return max(1, int(float64(base)*g.scale)) }

func (g *generator) load(ctx context.Context, tx pgx.Tx) error {
	// A superuser can skip the foreign-key checks of every row: the
	// generator makes only consistent rows, and checking them costs more
	// than copying them.
	if _, err := tx.Exec(ctx, `DO $$ BEGIN
		IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN SET LOCAL session_replication_role = replica; END IF;
		END $$`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `ALTER TABLE hub.courses DISABLE TRIGGER USER;
		ALTER TABLE hub.course_events DISABLE TRIGGER USER; ALTER TABLE hub.referrals DISABLE TRIGGER USER`); err != nil {
		return err
	}
	g.runPrefix = uuid.NewString()[:6]
	steps := []struct {
		name string
		run  func(context.Context, pgx.Tx) error
	}{{"organisations", g.organisations}, {"drop indexes", g.dropIndexes}, {"citizens", g.loadCitizens},
		{"referrals", g.loadReferrals}, {"courses", g.loadCourses}, {"indexes", g.createIndexes}, {"rollups", rollups}}
	for _, step := range steps {
		start := time.Now()
		if err := step.run(ctx, tx); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
		g.progress(step.name, time.Since(start))
	}
	_, err := tx.Exec(ctx, `ALTER TABLE hub.courses ENABLE TRIGGER USER;
		ALTER TABLE hub.course_events ENABLE TRIGGER USER; ALTER TABLE hub.referrals ENABLE TRIGGER USER`)
	return err
}

// organisations adds municipalities with codes 200–297 and NGOs, unless a
// previous load made them.
func (g *generator) organisations(ctx context.Context, tx pgx.Tx) error {
	for i := 0; i < nationalMunicipalities; i++ {
		code := fmt.Sprint(200 + i)
		if err := AddOrganisation(ctx, tx, Org{code, "Kommune " + code, "MUNICIPALITY", 5000 + g.rng.IntN(600_000)}); err != nil {
			return err
		}
	}
	for i := 1; i <= nationalNGOs; i++ {
		code := fmt.Sprintf("ngo-%03d", i)
		if err := AddOrganisation(ctx, tx, Org{code, "NGO " + code, "NGO", 0}); err != nil {
			return err
		}
	}
	var err error
	g.munis, err = ids(ctx, tx, "SELECT id::text FROM hub.organisations WHERE code BETWEEN '200' AND '297' AND kind = 'MUNICIPALITY' ORDER BY code")
	if err != nil {
		return err
	}
	g.ngos, err = ids(ctx, tx, "SELECT id::text FROM hub.organisations WHERE code LIKE 'ngo-%' ORDER BY code")
	g.counts.Municipalities, g.counts.NGOs = len(g.munis), len(g.ngos)
	return err
}

func ids(ctx context.Context, tx pgx.Tx, sql string) ([]string, error) {
	rows, _ := tx.Query(ctx, sql)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// day returns a random moment between 2014 and 2024.
func (g *generator) day() time.Time {
	return time.Date(2014, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(g.rng.Int64N(int64(10 * 365 * 24 * time.Hour))))
}

func (g *generator) loadCitizens(ctx context.Context, tx pgx.Tx) error {
	n := g.n(nationalCitizens)
	g.citizens = make([]citizenRow, n)
	refOf, err := citizenRefs(ctx, tx)
	if err != nil {
		return err
	}
	i := 0
	count, err := tx.CopyFrom(ctx, pgx.Identifier{"hub", "citizens"},
		[]string{"id", "pseudonym", "municipality_id", "home_id", "alias", "birth_year", "gender", "created_at", "updated_at", "citizen_ref"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			muni := g.munis[g.rng.IntN(len(g.munis))]
			id := uuid.NewString()
			g.citizens[i] = citizenRow{id, muni, refOf(id)}
			var pseudonym []byte
			if g.rng.IntN(10) > 0 { // a tenth are anonymous
				pseudonym = make([]byte, 32)
				rand.Read(pseudonym)
			}
			at := g.day()
			row := []any{g.citizens[i].id, pseudonym, muni, muni, fmt.Sprintf("n%s-%d", g.runPrefix, i), 1960 + g.rng.IntN(40),
				[]string{"FEMALE", "FEMALE", "FEMALE", "MALE", "OTHER"}[g.rng.IntN(5)], at, at, g.citizens[i].ref}
			i++
			return row, nil
		}))
	g.counts.Citizens = int(count)
	return err
}
