package exithub_test

import (
	"math"
	"slices"
	"testing"

	"exithub"
)

// The attacks that worked on the cell-key method, each against N seeded
// releases of two worlds that differ in the fact the attacker is after.
// Whatever the attacker computes from what the hub publishes, ε-DP bounds
// its success: if the releases it reads change by a likelihood ratio of at
// most e^E between the worlds (E = ε × the number of releases read × the
// persons (or records ÷ K) moved between cells), then with the worlds equally
// likely no guess is right more often than e^E/(1+e^E). Each test checks the
// attack's success rate over 2×N runs against that bound, plus 4 standard
// errors of the rate (one-sided significance 3.2e-5).

const attackRuns = 1000

// world is what differs between the two worlds: the true counts of a
// month's release (and of the month after, for attacks over two).
type world struct {
	counts, next map[exithub.TableID]map[string]int
}

func source(counts map[exithub.TableID]map[string]int) exithub.ReleaseSource {
	return exithub.ReleaseSource{Counts: counts, Municipalities: []string{"m1", "m2", "m3", "m4"}, NGOs: []string{"n1", "n2"}}
}

// published returns a cell's value, or -1 under the threshold.
func published(t *testing.T, r exithub.Release, table exithub.TableID, key string) int {
	t.Helper()
	for _, c := range r.Cells(table) {
		if c.Key == key {
			if c.Cell.Value == nil {
				return -1
			}
			return *c.Cell.Value
		}
	}
	t.Fatalf("%s has no cell %q", table, key)
	return 0
}

// attack runs guess over attackRuns releases of each world and fails the
// test if it names the right world more often than e^E/(1+e^E) allows.
func attack(t *testing.T, worlds [2]world, e float64, guess func(now, next exithub.Release) int) {
	t.Helper()
	p := exithub.DefaultPrivacy
	rnd := seeded(3)
	m := exithub.Month{Year: 2014, Month: 3}
	right := 0
	for w, in := range worlds {
		for range attackRuns {
			now, err := p.Publish(m, source(in.counts), rnd)
			if err != nil {
				t.Fatal(err)
			}
			next, err := p.Publish(m.Next(), source(in.next), rnd)
			if err != nil {
				t.Fatal(err)
			}
			if guess(now, next) == w {
				right++
			}
		}
	}
	bound := math.Exp(e) / (1 + math.Exp(e))
	rate, n := float64(right)/(2*attackRuns), 2.0*attackRuns
	if limit := bound + 4*math.Sqrt(bound*(1-bound)/n); rate > limit {
		t.Fatalf("the attack named the right world in %.3f of %d runs; ε allows %.3f (+ sampling: %.3f)", rate, int(n), bound, limit)
	}
	t.Logf("success %.3f; bound e^%.0f/(1+e^%.0f) = %.3f", rate, e, e, bound)
}

func cells(t exithub.TableID, kv ...any) map[exithub.TableID]map[string]int {
	m := map[string]int{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(int)
	}
	return map[exithub.TableID]map[string]int{t: m}
}

var (
	byMunicipality = exithub.PersonsTable([]exithub.Dimension{exithub.DimMunicipality})
	ctiExit        = exithub.CellKeyOf("CTI", "OPEN", "EXIT")
	eps            = float64(exithub.DefaultPrivacy.Epsilon.Num) / float64(exithub.DefaultPrivacy.Epsilon.Den)
)

// 1. Complement from an exact total: the national count of the row is
// exact (43 in both worlds); is she in municipality m1 (3 there, 40 in m2)
// or in m2 (2 and 41)? The attacker subtracts the published other cells
// from the exact total. One person moves between two cells of one table: E = 2ε.
func TestAttackComplementFromTheExactTotal(t *testing.T) {
	a := world{counts: cells(byMunicipality, ctiExit+"|m1", 3, ctiExit+"|m2", 40)}
	b := world{counts: cells(byMunicipality, ctiExit+"|m1", 2, ctiExit+"|m2", 41)}
	attack(t, [2]world{a, b}, 2*eps, func(r, _ exithub.Release) int {
		rest := 0
		for _, m := range []string{"m2", "m3", "m4"} {
			rest += max(0, published(t, r, byMunicipality, ctiExit+"|"+m))
		}
		if 43-rest >= 3 {
			return 0
		}
		return 1
	})
}

// 2. Secondary suppression that flips: the partner cell (20 persons) is
// withheld or not according to the true total of the small cells (4 or 5).
// With no secondary suppression, the partner says nothing; the attacker
// also reads the small cells. One person more: E = ε.
func TestAttackSecondarySuppressionFlip(t *testing.T) {
	a := world{counts: cells(byMunicipality, ctiExit+"|m1", 3, ctiExit+"|m2", 1, ctiExit+"|m3", 20)}
	b := world{counts: cells(byMunicipality, ctiExit+"|m1", 3, ctiExit+"|m2", 2, ctiExit+"|m3", 20)}
	attack(t, [2]world{a, b}, eps, func(r, _ exithub.Release) int {
		if published(t, r, byMunicipality, ctiExit+"|m3") < 0 || published(t, r, byMunicipality, ctiExit+"|m2") >= 0 {
			return 1
		}
		return 0
	})
}

// 3. Threshold crossing: a cell goes from under the threshold to 5 after
// one known addition; was it 4 (then 5) or 3 (then 4)? Two releases read,
// one person apart in each: E = 2ε.
func TestAttackThresholdCrossing(t *testing.T) {
	key := exithub.CellKeyOf("ORIENTATION", "", "")
	a := world{counts: cells(exithub.TablePersons, key, 3), next: cells(exithub.TablePersons, key, 4)}
	b := world{counts: cells(exithub.TablePersons, key, 4), next: cells(exithub.TablePersons, key, 5)}
	attack(t, [2]world{a, b}, 2*eps, func(r, next exithub.Release) int {
		if published(t, r, exithub.TablePersons, key) < 0 && published(t, next, exithub.TablePersons, key) >= 5 {
			return 1
		}
		return 0
	})
}

// 4. Existence: a withheld row meant someone, a missing row no one. Every
// row is always there; whether a cell holds 0 or 1 shows only through its
// noise. One person more: E = ε.
func TestAttackExistence(t *testing.T) {
	key := exithub.CellKeyOf("ACUTE_SUPPORT", "", "", "m4")
	a := world{counts: cells(byMunicipality)}
	b := world{counts: cells(byMunicipality, key, 1)}
	var rows [2][]string
	for i, w := range []world{a, b} {
		r, err := exithub.DefaultPrivacy.Publish(exithub.Month{Year: 2014, Month: 3}, source(w.counts), seeded(4))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Cells(byMunicipality) {
			rows[i] = append(rows[i], c.Key)
		}
	}
	if !slices.Equal(rows[0], rows[1]) {
		t.Fatal("the rows of a table depend on who is counted")
	}
	attack(t, [2]world{a, b}, eps, func(r, _ exithub.Release) int {
		if published(t, r, byMunicipality, key) >= 0 {
			return 1
		}
		return 0
	})
}

// 5. Side figures: her referral's status as the NGO's total minus the
// others. Was it rejected (1 rejected, 10 accepted) or accepted (0 and
// 11)? One record moves between two cells of a table of records, whose
// noise is scaled for K records: E = 2ε/K.
func TestAttackStatusFromTheOthers(t *testing.T) {
	a := world{counts: cells(exithub.TableReferralStatus, "REJECTED", 1, "ACCEPTED", 10)}
	b := world{counts: cells(exithub.TableReferralStatus, "REJECTED", 0, "ACCEPTED", 11)}
	attack(t, [2]world{a, b}, 2*eps/float64(exithub.DefaultPrivacy.K), func(r, _ exithub.Release) int {
		if published(t, r, exithub.TableReferralStatus, "ACCEPTED") >= 11 {
			return 1
		}
		return 0
	})
}

// 6. Newcomer profile: the exact total rose by one from one month to the
// next; the cells that changed were hers. Is she in m1 or m2? Every cell
// gets fresh noise, so every cell changes. The first month is the same in
// both worlds, the second moves her between two cells: E = 2ε.
func TestAttackNewcomerProfile(t *testing.T) {
	before := cells(byMunicipality, ctiExit+"|m1", 30, ctiExit+"|m2", 30)
	a := world{counts: before, next: cells(byMunicipality, ctiExit+"|m1", 31, ctiExit+"|m2", 30)}
	b := world{counts: before, next: cells(byMunicipality, ctiExit+"|m1", 30, ctiExit+"|m2", 31)}
	attack(t, [2]world{a, b}, 2*eps, func(r, next exithub.Release) int {
		d1 := published(t, next, byMunicipality, ctiExit+"|m1") - published(t, r, byMunicipality, ctiExit+"|m1")
		d2 := published(t, next, byMunicipality, ctiExit+"|m2") - published(t, r, byMunicipality, ctiExit+"|m2")
		if d1 >= d2 {
			return 0
		}
		return 1
	})
}
