package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func TestRandomDayStaysInTheDecade(t *testing.T) {
	last := statisticsFrom.AddDate(0, 0, statisticsDays-1).Format(time.DateOnly)
	if last != "2024-12-31" {
		t.Fatalf("the last day is %s", last)
	}
	for range 1000 {
		if d := randomDay(); d < "2014-01-01" || d > "2024-12-31" {
			t.Fatalf("day %s out of range", d)
		}
	}
}

func TestInboxSpreadsOverNGOsAndHubs(t *testing.T) {
	at := &endpoints{urls: []string{"http://a/graphql", "http://b/graphql"}}
	ngos := []principal{{Org: "ngo-001", Header: http.Header{"X": {"1"}}}, {Org: "ngo-002", Header: http.Header{"X": {"2"}}}, {Org: "ngo-003", Header: http.Header{"X": {"3"}}}}
	s := inbox(at, ngos)
	seen := map[string]bool{}
	for range 6 {
		var tg vegeta.Target
		s.Targeter(&tg)
		seen[tg.URL+" "+tg.Header.Get("X")] = true
		if tg.Method != http.MethodPost || !strings.Contains(string(tg.Body), "referrals(first: 20)") {
			t.Fatalf("target %+v", tg)
		}
	}
	if len(seen) != 6 {
		t.Fatalf("6 requests went to %d hub × NGO pairs: %v", len(seen), seen)
	}
}

func TestMixNeedsSharesOfAHundred(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a mix of 90% was accepted")
		}
	}()
	mix(share{90, scenario{}})
}

func TestWritesCancelWhatTheyCreated(t *testing.T) {
	at := &endpoints{urls: []string{"http://hub/graphql"}}
	cw := caseworker{principal: principal{Org: "200", Header: http.Header{}}, citizen: "c1", alias: "a"}
	w := newWrites(at, []caseworker{cw}, newWriteState("run"))
	var first, second, third vegeta.Target
	w.target(&first)
	w.seen(&vegeta.Result{Body: []byte(`{"data":{"createReferral":{"id":"r1","from":{"code":"200"}}}}`)})
	w.target(&second)
	w.target(&third)
	if !strings.Contains(string(first.Body), "createReferral") || !strings.Contains(string(third.Body), "createReferral") {
		t.Fatalf("not creates: %s / %s", first.Body, third.Body)
	}
	if !strings.Contains(string(second.Body), "cancelReferral") || !strings.Contains(string(second.Body), `"r1"`) {
		t.Fatalf("the second write does not cancel r1: %s", second.Body)
	}
	if string(first.Body) == string(third.Body) {
		t.Fatal("two creates share an idempotency key")
	}
}

func TestConfigDefaultsAreValid(t *testing.T) {
	c, err := parseFlags(nil)
	if err != nil || c.Scale != 0.1 || c.Rates["inbox"] != 1000 || c.Rates["mix"] != 500 {
		t.Fatalf("defaults %+v, %v", c, err)
	}
	if _, err := parseFlags([]string{"-ngos", "201"}); err == nil {
		t.Fatal("more NGOs than the seed makes were accepted")
	}
}

func TestClosedMonthEndIsTheLastDayOfAMonthOfTheDecade(t *testing.T) {
	for range 1000 {
		d, err := time.Parse(time.DateOnly, closedMonthEnd())
		if err != nil {
			t.Fatal(err)
		}
		if d.AddDate(0, 0, 1).Day() != 1 || d.Year() < 2014 || d.Year() > 2024 {
			t.Fatalf("%s is no last day of a month of 2014–2024", d.Format(time.DateOnly))
		}
	}
}
