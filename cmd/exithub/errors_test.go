package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"exithub"
)

// TestErrorsNameTheArgument: a value a scalar cannot read names the
// argument that held it, with a message that says the format; FORBIDDEN
// says which action on which resource, the same whether a row exists or
// not; a referral refused for want of consent says which want.
func TestErrorsNameTheArgument(t *testing.T) {
	h := startHub(t)
	cw := h.token("101", exithub.RoleCaseworker)
	ga := h.token("socialstyrelsen", exithub.RoleGrantAdmin)
	grant := `mutation($in: CreateGrantInput!) { createGrant(input: $in) { id } }`
	grantInput := func(k, v string) map[string]any {
		in := map[string]any{"programme": "EXIT_PROSTITUTION", "budgetLine": "NGO", "recipient": "reden",
			"amount": "1.00", "decidedOn": "2014-06-01", "purpose": "x"}
		in[k] = v
		return map[string]any{"in": in}
	}
	for _, c := range []struct {
		name, token, query string
		vars               map[string]any
		field, says        string
	}{
		{"a date in an argument", cw, `{ course(id: "x", asOf: "2014-3-18") { id } }`, nil, "asOf", `"2014-3-18" is not a date in the form YYYY-MM-DD`},
		{"a date in a variable", cw, `query($d: Date) { course(id: "x", asOf: $d) { id } }`, map[string]any{"d": "2014-03-32"}, "asOf", "2014-03-32"},
		{"an amount in an argument", ga, `{ allocateByPopulation(budgetLine: "MUNICIPAL", amount: "1.234") { amount } }`, nil, "amount", "decimal string"},
		{"an amount in an input", ga, grant, grantInput("amount", "12,50"), "amount", "decimal string"},
		{"a date in an input", ga, grant, grantInput("decidedOn", "1/6/2014"), "decidedOn", "YYYY-MM-DD"},
	} {
		r := h.do(c.token, c.query, c.vars)
		if r.code() != exithub.EINVALID || r.Errors[0].Extensions["field"] != c.field || !strings.Contains(r.Errors[0].Message, c.says) {
			t.Errorf("%s: want field %s saying %q: %s", c.name, c.field, c.says, r.raw)
		}
	}

	ngo := h.token("reden", exithub.RoleNGOWorker)
	if r := h.do(ngo, `{ citizens { edges { cursor } } }`, nil); r.code() != exithub.EFORBIDDEN ||
		r.Errors[0].Message != "the role ngo_worker may not read citizen" {
		t.Errorf("FORBIDDEN does not say which action on which resource: %s", r.raw)
	}
	f := newReferral(t, h, "reden")
	accept := `mutation($id: ID!) { acceptReferral(input: {id: $id}) { id } }`
	real := h.do(cw, accept, map[string]any{"id": f.referral})
	none := h.do(cw, accept, map[string]any{"id": "UmVmZXJyYWw6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw"})
	if real.code() != exithub.EFORBIDDEN || real.Errors[0].Message != "the role caseworker may not accept referral" ||
		string(real.raw) != string(none.raw) {
		t.Errorf("FORBIDDEN on a row that exists and one that does not:\n%s\n%s", real.raw, none.raw)
	}

	consentReasons(t, h, cw)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.Contains(l, "giveConsent") && regexp.MustCompile(`expiresOn: \\"\d{4}-`).MatchString(l) {
			t.Errorf("the README's walkthrough gives a consent with a fixed expiry, which will lapse: %s", l)
		}
	}
}

// consentReasons: no consent, a withdrawn one, an expired one and one that
// does not cover a detail each answer their own reason.
func consentReasons(t *testing.T, h *hub, cw string) {
	t.Helper()
	refer := func(citizen, kind string) gqlResponse {
		return h.do(cw, referMutation, map[string]any{"in": map[string]any{"citizenId": citizen, "to": "reden",
			"needs": []string{"HOUSING"}, "message": "m", "contact": "cw@kk.dk",
			"sharedDetails": []map[string]any{{"kind": kind, "value": "v"}}}})
	}
	consent := func(citizen, given, expires string) string {
		d := h.must(cw, consentMutation, map[string]any{"in": map[string]any{"citizenId": citizen, "ngo": "reden",
			"purpose": "exit support", "details": []string{"ALIAS"}, "givenOn": given, "expiresOn": expires}})
		return get(d, "giveConsent", "id").(string)
	}
	citizen := func() string {
		d := h.must(cw, registerMutation, map[string]any{"in": map[string]any{"alias": "Consent case"}})
		return get(d, "registerCitizen", "id").(string)
	}
	none := citizen()
	expired := citizen()
	consent(expired, "2014-01-01", "2014-12-31")
	withdrawn := citizen()
	h.must(cw, `mutation($id: ID!) { withdrawConsent(input: {consentId: $id}) { id } }`, map[string]any{"id": consent(withdrawn, "2020-01-01", "2099-12-31")})
	narrow := citizen()
	consent(narrow, "2020-01-01", "2099-12-31")
	for _, c := range []struct {
		name, citizen, kind, field, says string
	}{
		{"no consent", none, "ALIAS", "to", "has given no consent"},
		{"expired", expired, "ALIAS", "to", "expired on 2014-12-31"},
		{"withdrawn", withdrawn, "ALIAS", "to", "withdrew"},
		{"not covered", narrow, "HOUSING", "sharedDetails", "does not cover HOUSING"},
	} {
		r := refer(c.citizen, c.kind)
		if r.code() != exithub.EINVALID || r.Errors[0].Extensions["field"] != c.field || !strings.Contains(r.Errors[0].Message, c.says) {
			t.Errorf("%s: want field %s saying %q: %s", c.name, c.field, c.says, r.raw)
		}
	}
	if r := refer(narrow, "ALIAS"); len(r.Errors) != 0 {
		t.Errorf("a covered detail under a valid consent: %s", r.raw)
	}
}
