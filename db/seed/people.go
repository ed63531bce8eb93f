package seed

import (
	"fmt"
	"math/rand/v2"

	"exithub"
)

// A person of the demo: where she is served, what the hub knows of her on
// 18 March 2014 and what happens after. Every person is synthetic.
type person struct {
	key       string
	muni      string // serving municipality's code
	home      string // home municipality's code
	cpr       string // "" for anonymous
	alias     string
	birthYear int
	gender    exithub.Gender
	courses   []course
	referrals []referral
}

type course struct {
	kind      exithub.CourseKind
	track     exithub.Track
	started   string
	trackTo   exithub.Track // a change of track, if any
	trackOn   string
	phase2    string
	ended     string
	endReason exithub.EndReason
	outcomes  []exithub.Outcome
}

type referral struct {
	ngo      string // "" for an offer outside the hub
	offer    string
	on       string
	statuses []exithub.Action // transitions after creation
	needs    []exithub.Need
}

// The minister's table of 18 March 2014, spread over the four municipalities
// (København, Aarhus, Odense, Aalborg) in rough proportion to their size.
var table = []struct {
	category string
	track    exithub.Track
	perMuni  [4]int // 101, 751, 461, 851
}{
	{"CTI", exithub.TrackExit, [4]int{5, 3, 2, 1}},
	{"CTI", exithub.TrackLifeSituation, [4]int{14, 7, 4, 4}},
	{"ORIENTATION", "", [4]int{11, 5, 4, 3}},
	{"ACUTE_SUPPORT", "", [4]int{6, 3, 2, 2}},
	{"REFERRED_ELSEWHERE", "", [4]int{7, 4, 2, 2}},
}

var tableMunis = [4]string{"101", "751", "461", "851"}

var ngos = []string{"reden", "reden-aarhus", "kirkens-korshaer"}

// people builds the demo's persons deterministically.
func people() []person {
	rng := rand.New(rand.NewPCG(2014, 318))
	var ps []person
	n := 0
	for _, row := range table {
		for m, count := range row.perMuni {
			for i := 0; i < count; i++ {
				n++
				p := newPerson(rng, n, tableMunis[m])
				shape(rng, &p, row.category, row.track, n)
				ps = append(ps, p)
			}
		}
	}
	ps = append(ps, twin(ps))
	crossMunicipal(ps)
	return append(ps, later(rng, n)...)
}

// twin registers the first orientation person of Aarhus in København too
// (same CPR, so the same pseudonym), with acute support there: nationally
// she is one person, counted in Aarhus's orientation.
func twin(ps []person) person {
	for _, p := range ps {
		if p.muni == "751" && len(p.courses) > 0 && p.courses[0].kind == exithub.CourseOrientation && p.cpr != "" {
			t := p
			t.key, t.muni, t.home, t.referrals = p.key+"-kk", "101", "101", nil
			t.courses = []course{{kind: exithub.CourseAcuteSupport, started: "2014-02-01"}}
			return t
		}
	}
	panic("seed: no orientation person in Aarhus")
}

// crossMunicipal makes two København citizens residents of Frederiksberg,
// served under a cross-municipal agreement.
func crossMunicipal(ps []person) {
	n := 0
	for i := range ps {
		if ps[i].muni == "101" && len(ps[i].courses) > 0 && ps[i].courses[0].kind == exithub.CourseCTI && n < 2 {
			ps[i].home = "147"
			n++
		}
	}
}

func newPerson(rng *rand.Rand, n int, muni string) person {
	year := 1970 + rng.IntN(26)
	day, month := 1+rng.IntN(28), 1+rng.IntN(12)
	gender := exithub.GenderFemale
	if n%17 == 0 {
		gender = exithub.GenderMale
	} else if n%23 == 0 {
		gender = exithub.GenderOther
	}
	return person{
		key: fmt.Sprintf("p%03d", n), muni: muni, home: muni, alias: fmt.Sprintf("Borger %03d", n),
		cpr:       fmt.Sprintf("%02d%02d%02d%04d", day, month, year%100, 1000+n*7),
		birthYear: year, gender: gender,
	}
}

// date returns a day in early 2014 (January to 18 March).
func date(rng *rand.Rand) string {
	d := rng.IntN(76) // 1 January + 0..75 days = up to 17 March
	return exithub.Date{Year: 2014, Month: 1, Day: 1}.AddDays(d).String()
}

// shape gives a person what puts her in her category on 18 March, plus
// lesser engagements that the counting must rank below it.
func shape(rng *rand.Rand, p *person, category string, track exithub.Track, n int) {
	switch category {
	case "CTI":
		c := course{kind: exithub.CourseCTI, track: track, started: date(rng)}
		if n%5 == 0 { // came through an orientation course first
			p.courses = append(p.courses, course{kind: exithub.CourseOrientation, started: "2014-01-06"})
		}
		if n%7 == 0 && track == exithub.TrackExit { // was on the other track first
			c.started = "2014-01-20"
			c.track, c.trackTo, c.trackOn = exithub.TrackLifeSituation, exithub.TrackExit, "2014-03-01"
		}
		if n%6 == 0 && track == exithub.TrackLifeSituation { // becomes exit-ready after the date
			c.trackTo, c.trackOn = exithub.TrackExit, "2014-05-15"
		}
		if n%4 == 0 {
			c.phase2 = "2014-03-17"
		}
		c.ended, c.endReason, c.outcomes = ending(n, c.started)
		p.courses = append(p.courses, c)
		p.referrals = append(p.referrals, ngoReferral(n, c.started))
	case "ORIENTATION":
		p.courses = append(p.courses, course{kind: exithub.CourseOrientation, started: date(rng)})
		if n%3 == 0 {
			p.courses = append(p.courses, course{kind: exithub.CourseAcuteSupport, started: "2014-01-03"})
		}
		if n%4 == 0 { // starts CTI after the date: still orientation on 18 March
			p.courses = append(p.courses, course{kind: exithub.CourseCTI, track: exithub.TrackLifeSituation, started: "2014-04-01"})
		}
	case "ACUTE_SUPPORT":
		p.courses = append(p.courses, course{kind: exithub.CourseAcuteSupport, started: date(rng)})
		if n%2 == 0 {
			p.cpr = "" // acute support is often given without a CPR number
		}
		if n%3 == 0 {
			p.referrals = append(p.referrals, referral{offer: "Misbrugsbehandling, region", on: "2014-03-10", needs: []exithub.Need{exithub.NeedDrugTreatment}})
		}
	case "REFERRED_ELSEWHERE":
		if n%2 == 0 {
			p.referrals = append(p.referrals, referral{offer: "Herberg og boligsocial indsats", on: date(rng), needs: []exithub.Need{exithub.NeedHousing}})
		} else {
			p.referrals = append(p.referrals, ngoReferral(n, date(rng)))
		}
	}
}

// ending gives some CTI courses an end: two drop-outs soon after the date, and
// a year's completion for others, with outcomes.
func ending(n int, started string) (string, exithub.EndReason, []exithub.Outcome) {
	switch {
	case n == 3 || n == 20:
		return "2014-04-10", exithub.EndDroppedOut, nil
	case n%3 == 0:
		return day(started).AddDays(exithub.CTIDuration).String(), exithub.EndCompleted, []exithub.Outcome{exithub.OutcomeHousingKept, exithub.OutcomeTrustedContact}
	case n%8 == 0:
		return day(started).AddDays(exithub.CTIDuration).String(), exithub.EndCompleted, []exithub.Outcome{exithub.OutcomeOutOfProstitution, exithub.OutcomeSocialNetwork}
	}
	return "", "", nil
}

// ngoReferral refers to an NGO in the hub; the states vary so every NGO has
// an inbox with referrals in every state.
func ngoReferral(n int, on string) referral {
	flows := [][]exithub.Action{
		nil,
		{exithub.ActReceive},
		{exithub.ActReceive, exithub.ActAccept},
		{exithub.ActReceive, exithub.ActReject},
		{exithub.ActReceive, exithub.ActAccept, exithub.ActStart},
		{exithub.ActReceive, exithub.ActAccept, exithub.ActStart, exithub.ActComplete},
		{exithub.ActReceive, exithub.ActAccept, exithub.ActStart, exithub.ActFail},
		{exithub.ActCancel},
	}
	return referral{ngo: ngos[n%len(ngos)], on: on, statuses: flows[(n/len(ngos))%len(flows)],
		needs: []exithub.Need{exithub.Needs[n%len(exithub.Needs)]}}
}

// later are persons who join after 18 March, and one known to two
// municipalities: the story goes on without touching the table.
func later(rng *rand.Rand, n int) []person {
	var ps []person
	for i := 1; i <= 8; i++ {
		p := newPerson(rng, n+i, tableMunis[i%4])
		p.courses = []course{{kind: []exithub.CourseKind{exithub.CourseCTI, exithub.CourseOrientation, exithub.CourseAcuteSupport}[i%3],
			track: map[bool]exithub.Track{true: exithub.TrackExit}[i%3 == 0], started: fmt.Sprintf("2014-%02d-10", 3+i)}}
		if p.courses[0].kind != exithub.CourseCTI {
			p.courses[0].track = ""
		}
		p.referrals = []referral{ngoReferral(n+i, fmt.Sprintf("2014-%02d-12", 3+i))}
		ps = append(ps, p)
	}
	return ps
}
