package main

import (
	"testing"

	"exithub"
)

func TestCitizenDossierAndCorrection(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	h.must(f.ngo, `query NgoReadsIt($id: ID!) { referral(id: $id) { id } }`, map[string]any{"id": f.referral})
	q := `query($id: ID!) { citizenDossier(id: $id) { citizen { alias version } consents { id } referrals { id history { to } }
	  courses { id } accessLog { operation organisation { code } } } }`
	d := h.must(f.cw, q, map[string]any{"id": f.citizenID})
	if get(d, "citizenDossier", "citizen", "alias") != "Maja" || len(get(d, "citizenDossier", "consents").([]any)) != 1 ||
		get(d, "citizenDossier", "referrals", 0, "id") != f.referral {
		t.Fatalf("dossier: %v", d)
	}
	seen := false
	for _, a := range get(d, "citizenDossier", "accessLog").([]any) {
		seen = seen || get(a, "operation") == "NgoReadsIt"
	}
	if !seen {
		t.Fatal("the dossier's access log lacks the NGO's read")
	}
	c := h.must(f.cw, `mutation($id: ID!) { correctCitizen(input: {citizenId: $id, alias: "Maja K.", birthYear: 1990, expectedVersion: 1}) { alias birthYear version } }`,
		map[string]any{"id": f.citizenID})
	if get(c, "correctCitizen", "alias") != "Maja K." || get(c, "correctCitizen", "version") != float64(2) {
		t.Fatalf("correction: %v", c)
	}
	r := h.do(f.cw, `mutation($id: ID!) { correctCitizen(input: {citizenId: $id, alias: "again", expectedVersion: 1}) { alias } }`, map[string]any{"id": f.citizenID})
	if r.code() != exithub.ECONFLICT {
		t.Fatalf("a stale correction: %s", r.raw)
	}
	if r := h.do(h.token("751", exithub.RoleCaseworker), q, map[string]any{"id": f.citizenID}); get(r.Data, "citizenDossier") != nil {
		t.Fatalf("another municipality exports the citizen: %s", r.raw)
	}
	if r := h.do(f.ngo, q, map[string]any{"id": f.citizenID}); r.code() != exithub.EFORBIDDEN {
		t.Fatalf("an NGO exports the citizen: %s", r.raw)
	}
}
