package main

import (
	"strings"
	"testing"
	"time"

	"exithub"
	"exithub/auth"
)

// Values a client can send that the database cannot keep, or should not,
// are BAD_USER_INPUT before any work: the NUL character in any text, days
// outside 1900–2100, amounts above exithub.MaxMoney. None is logged as an
// error.
func TestOutOfRangeValuesAreBadInput(t *testing.T) {
	h := startHub(t)
	cw := h.token("101", exithub.RoleCaseworker)
	cid := get(h.must(cw, `mutation { registerCitizen(input: {alias: "range"}) { id } }`, nil), "registerCitizen", "id")
	course := `mutation($c: ID!, $d: Date!) { startCourse(input: {citizenId: $c, kind: ACUTE_SUPPORT, startedOn: $d}) { id } }`
	agreementServices := `mutation($s: [String!]!) { createCooperationAgreement(input: {ngo: "reden", from: "2026-01-01", to: "2026-12-31", amount: "1.00", services: $s}) { id } }`
	agreement := `mutation($a: Money!) { createCooperationAgreement(input: {ngo: "reden", from: "2026-01-01", to: "2026-12-31", amount: $a, services: ["x"]}) { id } }`
	cases := []struct {
		name, query string
		vars        map[string]any
		field       string // the argument extensions.field names
	}{
		{"NUL in a variable", `mutation($a: String!) { registerCitizen(input: {alias: $a}) { id } }`, map[string]any{"a": "a\x00b"}, "alias"},
		{"NUL in a literal", `mutation { registerCitizen(input: {alias: "a\u0000b"}) { id } }`, nil, "alias"},
		{"NUL in a filter", `{ referrals(after: "\u0000") { edges { cursor } } }`, nil, "after"},
		{"NUL in a list", agreementServices, map[string]any{"s": []string{"x", "a\x00b"}}, "services"},
		{"year 0", course, map[string]any{"c": cid, "d": "0000-01-01"}, "startedOn"},
		{"year 9999", course, map[string]any{"c": cid, "d": "9999-12-31"}, "startedOn"},
		{"year 1899", course, map[string]any{"c": cid, "d": "1899-12-31"}, "startedOn"},
		{"consent in year 2101", `mutation($c: ID!) { giveConsent(input: {citizenId: $c, ngo: "reden", purpose: "p", details: [ALIAS], givenOn: "2026-01-01", expiresOn: "2101-01-01"}) { id } }`, map[string]any{"c": cid}, "expiresOn"},
		{"moment in year 1", `{ referrals(filter: {since: "0001-01-01T00:00:00Z"}) { edges { cursor } } }`, nil, "since"},
		{"Int beyond 32 bits", `{ referrals(first: 2147483648) { edges { cursor } } }`, nil, "first"},
		{"Int beyond 32 bits in a variable", `query($n: Int) { referrals(last: $n) { edges { cursor } } }`, map[string]any{"n": -2147483649}, "last"},
		{"amount at the 64-bit limit", agreement, map[string]any{"a": "92233720368547758.07"}, "amount"},
		{"amount above the maximum", agreement, map[string]any{"a": "1000000000.01"}, "amount"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.do(cw, c.query, c.vars)
			if r.code() != exithub.EINVALID || r.Errors[0].Extensions["field"] != c.field {
				t.Fatalf("got %s: %s; want BAD_USER_INPUT naming %q", r.code(), r.raw, c.field)
			}
		})
	}
	if r := h.do(cw, course, map[string]any{"c": cid, "d": "2100-12-31"}); len(r.Errors) != 0 {
		t.Fatalf("the last day of 2100 was refused: %s", r.raw)
	}
	if r := h.do(cw, agreement, map[string]any{"a": exithub.MaxMoney.String()}); len(r.Errors) != 0 {
		t.Fatalf("the maximum amount was refused: %s", r.raw)
	}
	for _, l := range h.logs.Lines() {
		if strings.Contains(l, `"level":"ERROR"`) {
			t.Errorf("logged an error: %s", l)
		}
	}
}

// A token living a hundred years is refused, however well signed.
func TestLongLivedTokensAreRefused(t *testing.T) {
	h := startHub(t)
	tok, err := h.keys.Mint(auth.Claims{Sub: "x", Org: "101", Role: exithub.RoleCaseworker}, 100*365*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if r := h.do(tok, meQuery, nil); r.Status != 401 || r.code() != exithub.EUNAUTHENTICATED {
		t.Fatalf("a 100-year token: %d %s", r.Status, r.raw)
	}
	if r := h.do(h.token("101", exithub.RoleCaseworker), meQuery, nil); len(r.Errors) != 0 {
		t.Fatalf("a one-hour token: %s", r.raw)
	}
}
