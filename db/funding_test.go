package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"exithub"
	"exithub/db/seed"
)

func TestGrantsNeverExceedTheEarmarkUnderConcurrentWriters(t *testing.T) {
	d, url := openDB(t)
	ctx := as(t, d, "socialstyrelsen", exithub.RoleGrantAdmin)
	// RESERVE has an earmark of 8.2 mio and no grants in the demo: 20 grant
	// admins race to grant 1 mio each; at most 8 can succeed.
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := d.CreateGrant(ctx, exithub.NewGrant{ProgrammeCode: seed.Programme, BudgetLineCode: "RESERVE",
				RecipientCode: "reden", Amount: exithub.Kroner(1_000_000), DecidedOn: day(t, "2015-01-01"), Purpose: fmt.Sprint("race ", i)})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		} else if exithub.ErrorCode(err) != exithub.EINVALID {
			t.Errorf("a refused grant: %v, want BAD_USER_INPUT", err)
		}
	}
	var total int64
	if err := rawConn(t, url).QueryRow(context.Background(), `SELECT sum(g.amount_ore) FROM hub.grants g JOIN hub.budget_lines l ON l.id = g.budget_line_id WHERE l.code = 'RESERVE'`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	if ok != 8 || total != 820_000_000-20_000_000 {
		t.Fatalf("%d grants succeeded, %d øre granted from an 8.2 mio line; want 8 and 8.0 mio", ok, total)
	}
}

func TestFundingInvariantsHold(t *testing.T) {
	d, _ := openDB(t)
	ctx := as(t, d, "ministry", exithub.RoleGrantAdmin)
	g := exithub.NewGrant{ProgrammeCode: seed.Programme, BudgetLineCode: "NGO", RecipientCode: "reden",
		Amount: exithub.Kroner(5_000_001), DecidedOn: day(t, "2015-01-01"), Purpose: "more"}
	if _, err := d.CreateGrant(ctx, g); exithub.ErrorField(err) != "amount" {
		t.Fatalf("a grant past the NGO earmark (1.4 of 6.4 granted, 5.000001 more asked): %v", err)
	}
	g.Amount = 0
	if _, err := d.CreateGrant(ctx, g); exithub.ErrorField(err) != "amount" {
		t.Fatalf("a zero grant: %v", err)
	}
	g.Amount = exithub.Kroner(100_000)
	grant, err := d.CreateGrant(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.CreateDisbursement(ctx, exithub.NewDisbursement{GrantID: grant.ID, Amount: exithub.Kroner(100_000) + 1, PaidOn: day(t, "2015-02-01")}); exithub.ErrorField(err) != "amount" {
		t.Fatalf("a disbursement past its grant: %v", err)
	}
	if _, err := d.CreateDisbursement(ctx, exithub.NewDisbursement{GrantID: grant.ID, Amount: exithub.Kroner(100_000), PaidOn: day(t, "2015-02-01")}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.CreateGrant(as(t, d, "ministry", exithub.RoleAnalyst), g); exithub.ErrorCode(err) != exithub.EFORBIDDEN {
		t.Fatalf("an analyst grants money: %v", err)
	}
}

func TestAllocationByPopulationSumsExactly(t *testing.T) {
	d, _ := openDB(t)
	ctx := as(t, d, "socialstyrelsen", exithub.RoleGrantAdmin)
	for _, amount := range []exithub.Money{2_330_000_000, 1, 3, 99_999_999_999, 610_000_001} {
		as, err := d.AllocateByPopulation(ctx, "MUNICIPAL", amount)
		if err != nil {
			t.Fatal(err)
		}
		var sum exithub.Money
		for _, a := range as {
			sum += a.Amount
		}
		if len(as) != 4 || sum != amount {
			t.Fatalf("%s split into %d shares summing to %s", amount, len(as), sum)
		}
	}
}

func TestRecipientsSeeOnlyTheirGrants(t *testing.T) {
	d, _ := openDB(t)
	prog, err := d.FindProgramme(as(t, d, "reden", exithub.RoleNGOWorker), seed.Programme)
	if err != nil {
		t.Fatal(err)
	}
	reden := as(t, d, "reden", exithub.RoleNGOWorker)
	grants, err := d.Grants(reden, prog.ID)
	if err != nil {
		t.Fatal(err)
	}
	self := exithub.PrincipalFromContext(reden).Org.ID
	if len(grants) != 1 || grants[0].RecipientID != self {
		t.Fatalf("reden sees %d grants", len(grants))
	}
	all, err := d.Grants(as(t, d, "ministry", exithub.RoleAnalyst), prog.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 14 {
		t.Fatalf("the ministry sees %d grants, want all 14 of the demo", len(all))
	}
}

func TestAgreementsAreReadByTheirPartiesAndTheMinistry(t *testing.T) {
	d, _ := openDB(t)
	kk := as(t, d, "101", exithub.RoleCaseworker)
	a, err := d.CreateCooperationAgreement(kk, exithub.NewCooperationAgreement{NGOCode: "reden", From: day(t, "2014-01-01"),
		To: day(t, "2014-12-31"), Amount: exithub.Kroner(250_000), Services: []string{"rådgivning"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != exithub.AgreementDraft {
		t.Fatalf("new agreement is %s", a.Status)
	}
	if a, err = d.SetCooperationStatus(kk, a.ID, exithub.AgreementActive, &a.Version); err != nil {
		t.Fatal(err)
	}
	if _, err = d.SetCooperationStatus(kk, a.ID, exithub.AgreementDraft, nil); exithub.ErrorCode(err) != exithub.ECONFLICT {
		t.Fatalf("active back to draft: %v", err)
	}
	for _, who := range []struct {
		code string
		role exithub.Role
		want int
	}{{"101", exithub.RoleCaseworker, 1}, {"reden", exithub.RoleNGOWorker, 1}, {"kirkens-korshaer", exithub.RoleNGOWorker, 0},
		{"751", exithub.RoleCaseworker, 0}, {"ministry", exithub.RoleAnalyst, 1}} {
		got, err := d.CooperationAgreements(as(t, d, who.code, who.role))
		if err != nil || len(got) != who.want {
			t.Errorf("%s %s reads %d agreements (%v), want %d", who.role, who.code, len(got), err, who.want)
		}
	}
	// A valid agreement, so that only the policy can refuse it.
	valid := exithub.NewCooperationAgreement{NGOCode: "reden", From: day(t, "2015-01-01"),
		To: day(t, "2015-12-31"), Amount: exithub.Kroner(250_000), Services: []string{"rådgivning"}}
	if _, err := d.CreateCooperationAgreement(as(t, d, "reden", exithub.RoleNGOWorker), valid); exithub.ErrorCode(err) != exithub.EFORBIDDEN {
		t.Fatalf("an NGO registers an agreement: %v, want FORBIDDEN", err)
	}
}

func TestCrossMunicipalAgreementsReachTheMinistryOnlyAsACount(t *testing.T) {
	d, _ := openDB(t)
	kk := as(t, d, "101", exithub.RoleCaseworker)
	frb := as(t, d, "147", exithub.RoleCaseworker)
	mine, err := d.CrossMunicipalAgreements(kk)
	if err != nil || len(mine) != 2 {
		t.Fatalf("København has %d cross-municipal agreements (%v), want the demo's 2", len(mine), err)
	}
	home, err := d.CrossMunicipalAgreements(frb)
	if err != nil || len(home) != 2 {
		t.Fatalf("the home municipality sees %d (%v)", len(home), err)
	}
	if _, err := d.FindCitizen(frb, home[0].CitizenID); exithub.ErrorCode(err) != exithub.ENOTFOUND {
		t.Fatalf("the home municipality reads the citizen's record: %v", err)
	}
	ministry := as(t, d, "ministry", exithub.RoleAnalyst)
	if _, err := d.CrossMunicipalAgreements(ministry); exithub.ErrorCode(err) != exithub.EFORBIDDEN {
		t.Fatalf("the ministry lists agreements: %v", err)
	}
	if _, own, err := d.OwnAgreements(ministry, exithub.Date{Year: 2030, Month: 1, Day: 1}); err != nil || own {
		t.Fatalf("the ministry counts agreements as its own (%v, %v): it sees only a release cell", own, err)
	}
	if _, err := d.CrossMunicipalAgreements(as(t, d, "751", exithub.RoleCaseworker)); err != nil {
		t.Fatal(err)
	}
}
