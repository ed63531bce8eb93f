package seed

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// line is a budget line of the programme, with what the demo grants from it
// (by recipient) and pays out by 18 March 2014.
type line struct {
	code, name string
	earmark    exithub.Money
}

const mio = exithub.Money(100_000_000) // 1 mio DKK in øre

// Programme is the programme's code.
const Programme = "EXIT_PROSTITUTION"

// The budget lines of DOMAIN.md; the reserve is what no earmark covers.
var lines = []line{
	{"MUNICIPAL", "Kommunal indsats, 4 kommuner", 233 * mio / 10},
	{"COOPERATION", "Kommunernes samarbejde med NGO'er", 61 * mio / 10},
	{"NGO", "NGO-aktiviteter, øremærket", 64 * mio / 10},
	{"IMPLEMENTATION", "Socialstyrelsen, implementeringsstøtte", 18 * mio / 10},
	{"DISSEMINATION", "SFI og Socialstyrelsen, formidling af resultater", 2 * mio / 10},
	{"RESERVE", "Ikke øremærket reserve", 82 * mio / 10},
}

var projectMunicipalities = []string{"101", "461", "751", "851"} // by code, as allocations order them

// grantPlan is one grant of the demo and what is paid against it.
type grantPlan struct {
	line, recipient, purpose string
	amount                   exithub.Money
	decided                  string
	paid                     []payment
}

type payment struct {
	amount exithub.Money
	on     string
}

// grantPlans splits the municipal and cooperation lines by population
// (largest remainder, as allocateByPopulation does) and adds the rest.
func grantPlans(pops []int64) ([]grantPlan, error) {
	var plans []grantPlan
	for _, s := range []struct {
		line         string
		total, paid1 exithub.Money
		purpose      string
	}{
		{"MUNICIPAL", 233 * mio / 10, 932 * mio / 100, "CTI-forløb og koordinerende støttepersoner"},
		{"COOPERATION", 61 * mio / 10, 122 * mio / 100, "Samarbejde med NGO'er"},
	} {
		grants, err := exithub.Allocate(s.total, pops)
		if err != nil {
			return nil, err
		}
		paid, err := exithub.Allocate(s.paid1, pops)
		if err != nil {
			return nil, err
		}
		for i, code := range projectMunicipalities {
			plans = append(plans, grantPlan{s.line, code, s.purpose, grants[i], "2013-11-15",
				[]payment{{paid[i], "2014-01-15"}, {grants[i] / 4, "2014-07-01"}}})
		}
	}
	return append(plans,
		grantPlan{"NGO", "reden", "Rådgivning og udslusning", 6 * mio / 10, "2013-12-01", []payment{{3 * mio / 10, "2014-02-01"}}},
		grantPlan{"NGO", "reden-aarhus", "Rådgivning", 4 * mio / 10, "2013-12-01", []payment{{2 * mio / 10, "2014-02-01"}}},
		grantPlan{"NGO", "kirkens-korshaer", "Værested og akutstøtte", 4 * mio / 10, "2013-12-01", nil},
		grantPlan{"IMPLEMENTATION", "socialstyrelsen", "Implementeringsstøtte", 18 * mio / 10, "2013-10-01", []payment{{116 * mio / 100, "2014-03-01"}}},
		grantPlan{"DISSEMINATION", "sfi", "Midtvejsevaluering og formidling", 1 * mio / 10, "2013-10-01", nil},
		grantPlan{"DISSEMINATION", "socialstyrelsen", "Formidling", 1 * mio / 10, "2013-10-01", nil},
	), nil
}

// seedMoney loads the programme, its lines, grants and disbursements.
func seedMoney(ctx context.Context, tx pgx.Tx) error {
	progID := id("programme", Programme)
	if _, err := tx.Exec(ctx, `INSERT INTO hub.programmes (id, code, name, frame_ore) VALUES ($1, $2, $3, $4)
		ON CONFLICT (code) DO NOTHING`, progID, Programme, "Exit prostitution (satspulje)", 46*mio); err != nil {
		return err
	}
	for i, l := range lines {
		if _, err := tx.Exec(ctx, `INSERT INTO hub.budget_lines (id, programme_id, code, name, earmark_ore, position)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, id("line", l.code), progID, l.code, l.name, l.earmark, i); err != nil {
			return err
		}
	}
	pops := make([]int64, len(projectMunicipalities))
	for i, code := range projectMunicipalities {
		if err := tx.QueryRow(ctx, `SELECT population FROM hub.populations p JOIN hub.organisations o ON o.id = p.org_id
			WHERE o.code = $1 ORDER BY as_of DESC LIMIT 1`, code).Scan(&pops[i]); err != nil {
			return fmt.Errorf("population of %s: %w", code, err)
		}
	}
	plans, err := grantPlans(pops)
	if err != nil {
		return err
	}
	for _, g := range plans {
		if err := seedGrant(ctx, tx, progID, g); err != nil {
			return err
		}
	}
	return nil
}

func seedGrant(ctx context.Context, tx pgx.Tx, progID string, g grantPlan) error {
	gid := id("grant", g.line+"/"+g.recipient)
	_, err := tx.Exec(ctx, `INSERT INTO hub.grants (id, programme_id, budget_line_id, recipient_id, amount_ore, decided_on, purpose, created_at)
		SELECT $1, $2, $3, o.id, $5, $6::date, $7, $6::date FROM hub.organisations o WHERE o.code = $4
		AND NOT EXISTS (SELECT 1 FROM hub.grants WHERE id = $1)`, gid, progID, id("line", g.line), g.recipient, g.amount, g.decided, g.purpose)
	if err != nil {
		return fmt.Errorf("grant %s/%s: %w", g.line, g.recipient, err)
	}
	for i, p := range g.paid {
		_, err := tx.Exec(ctx, `INSERT INTO hub.disbursements (id, grant_id, amount_ore, paid_on, created_at)
			SELECT $1, $2, $3, $4::date, $4::date WHERE NOT EXISTS (SELECT 1 FROM hub.disbursements WHERE id = $1)`,
			id("disbursement", fmt.Sprintf("%s/%d", gid, i)), gid, p.amount, p.on)
		if err != nil {
			return err
		}
	}
	return nil
}
