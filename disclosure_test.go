package exithub

import (
	"fmt"
	"testing"
)

func fact(cat HelpCategory, muni string, n int, key CellKey) PersonFact {
	return PersonFact{Category: cat, MunicipalityID: muni, HomeID: muni, Gender: "FEMALE", Count: Count{N: n, Key: key}}
}

func TestNoPublishedCellIsBelowTheThreshold(t *testing.T) {
	d, _ := NewDisclosure(5)
	var facts []PersonFact
	for i := 0; i < 40; i++ {
		facts = append(facts, fact(HelpOrientation, fmt.Sprint("m", i%8), 1+i%7, CellKey(i*2654435761)))
	}
	for _, dims := range [][]Dimension{nil, {DimMunicipality}, {DimMunicipality, DimGender}} {
		for _, r := range d.Tabulate(facts, dims) {
			if r.Persons.Suppressed != (r.Persons.Value == nil) {
				t.Fatalf("cell both suppressed and valued: %+v", r.Persons)
			}
			if v := r.Persons.Value; v != nil && *v > 0 && *v < 5 {
				t.Fatalf("published %d below the threshold (groupBy %v)", *v, dims)
			}
		}
	}
	if _, err := NewDisclosure(2); err == nil {
		t.Fatal("a threshold of 2 was accepted")
	}
}

func TestSecondarySuppressionLeavesNoLoneSuppressedCell(t *testing.T) {
	d, _ := NewDisclosure(5)
	facts := []PersonFact{fact(HelpCTI, "a", 2, 1), fact(HelpCTI, "b", 40, 2), fact(HelpCTI, "c", 9, 3), fact(HelpCTI, "d", 30, 4)}
	rows := d.Tabulate(facts, []Dimension{DimMunicipality})
	suppressed := 0
	for _, r := range rows {
		if r.Persons.Suppressed {
			suppressed++
		}
	}
	// "a" (2) is suppressed; the national total is published exactly, so
	// "c", the smallest other, must be suppressed too.
	if suppressed != 2 || !rows[0].Persons.Suppressed || !rows[2].Persons.Suppressed {
		t.Fatalf("rows %v", cells(rows))
	}
}

func cells(rows []*StatisticsRow) []string {
	var out []string
	for _, r := range rows {
		if r.Persons.Suppressed {
			out = append(out, "x")
		} else {
			out = append(out, fmt.Sprint(*r.Persons.Value))
		}
	}
	return out
}

// The same people always get the same noise: asking again reveals nothing.
func TestPerturbationIsConsistent(t *testing.T) {
	d, _ := NewDisclosure(5)
	for k := CellKey(0); k < 1000; k += 7 {
		a, b := d.Perturbed(Count{N: 20, Key: k}), d.Perturbed(Count{N: 20, Key: k})
		if *a.Value != *b.Value {
			t.Fatal("one cell answered two ways")
		}
	}
}

// Differencing neighbouring dates: a cell that gains one person between two
// days gets an unrelated key, so the published difference is seldom the
// true one, and never reliably.
func TestDifferencingNeighbouringDatesFails(t *testing.T) {
	d, _ := NewDisclosure(5)
	exact := 0
	const cellsTried = 500
	for i := 0; i < cellsTried; i++ {
		before := Count{N: 10 + i%30, Key: CellKey(uint32(i) * 2654435761)}
		person := CellKey(uint32(i)*40503 + 12345)
		after := Count{N: before.N + 1, Key: before.Key + person}
		if *d.Perturbed(after).Value-*d.Perturbed(before).Value == 1 {
			exact++
		}
	}
	if exact > cellsTried/2 {
		t.Fatalf("%d of %d differences reveal the one person who joined", exact, cellsTried)
	}
	t.Logf("%d of %d differences equal the true change of one", exact, cellsTried)
}

// Differencing a grouped answer against the exact national figure: with
// secondary suppression and noise, the national figure minus the published
// cells of a line never isolates one suppressed cell.
func TestDifferencingGroupedAgainstUngroupedFails(t *testing.T) {
	d, _ := NewDisclosure(5)
	facts := []PersonFact{fact(HelpCTI, "a", 1, 11), fact(HelpCTI, "b", 12, 22), fact(HelpCTI, "c", 7, 33), fact(HelpCTI, "d", 25, 44)}
	national := 0
	for _, f := range facts {
		national += f.N
	}
	rows := d.Tabulate(facts, []Dimension{DimMunicipality})
	rest, hidden := 0, 0
	for _, r := range rows {
		if r.Persons.Suppressed {
			hidden++
		} else {
			rest += *r.Persons.Value
		}
	}
	if hidden < 2 {
		t.Fatalf("a single suppressed cell: the national %d minus the rest %d gives it away", national, rest)
	}
}

// Two groupings that share a margin: the municipality's cell minus its
// published gender cells should give the suppressed gender cell; the
// independent noise of each cell makes that guess seldom right.
func TestDifferencingGroupingsThatShareAMarginFails(t *testing.T) {
	d, _ := NewDisclosure(5)
	exact := 0
	const tries = 300
	for i := 0; i < tries; i++ {
		big, small := 6+i%20, 1+i%3
		kBig, kSmall := CellKey(uint32(i)*2654435761), CellKey(uint32(i)*97531+7)
		muni := d.Perturbed(Count{N: big + small, Key: kBig + kSmall})
		women := d.Perturbed(Count{N: big, Key: kBig})
		if *muni.Value-*women.Value == small {
			exact++
		}
	}
	if exact > tries/2 {
		t.Fatalf("%d of %d margin differences reveal the suppressed cell", exact, tries)
	}
	t.Logf("%d of %d margin differences equal the suppressed count", exact, tries)
}

// The ungrouped table publishes its total exactly, so it is a line too: a
// lone suppressed row, or suppressed rows that together hold fewer than the
// threshold, would be given away by subtraction.
func TestUngroupedTableCannotBeSubtracted(t *testing.T) {
	d, _ := NewDisclosure(5)
	open, ended := CourseOpen, CourseEnded
	exit, life := TrackExit, TrackLifeSituation
	facts := []PersonFact{
		{Category: HelpCTI, CourseState: &open, Track: &exit, Count: Count{N: 14}},
		{Category: HelpCTI, CourseState: &ended, Track: &exit, Count: Count{N: 1}},
		{Category: HelpCTI, CourseState: &ended, Track: &life, Count: Count{N: 1}},
		{Category: HelpOrientation, Count: Count{N: 30}},
		{Category: HelpAcuteSupport, Count: Count{N: 9}},
	}
	rows := d.Tabulate(facts, nil)
	hidden, suppressed := 0, 0
	for _, r := range rows {
		if r.Persons.Suppressed {
			suppressed++
			hidden += r.raw.N
		}
	}
	if suppressed < 2 || hidden < 5 {
		t.Fatalf("the total minus the published rows reveals %d persons in %d suppressed rows: %v", hidden, suppressed, cells(rows))
	}
}
