package exithub

import (
	"context"
	"slices"
	"testing"
)

func TestAuditBuilderRecordsOnlyWhatWasTouched(t *testing.T) {
	ctx := NewContextWithRequest(context.Background(), Request{ID: "req-1", Operation: "Inbox"})
	p := &Principal{Sub: "cw@101", Role: RoleCaseworker, Org: Organisation{ID: "org-101"}}
	b := NewAuditBuilder(ctx, p)
	if _, ok := b.Entry(); ok {
		t.Fatal("a request that touched nothing has a record")
	}
	b.Touch("Referral", "r1", "ref-c2", "m1")
	b.Touch("Consent", "k1", "", "m2")
	b.Touch("Referral", "r2", "ref-c1", "m2")
	b.Touch("Referral", "r3", "ref-c2", "")
	e, ok := b.Entry()
	if !ok {
		t.Fatal("a request that touched a referral has no record")
	}
	if e.RequestID != "req-1" || e.Operation != "Inbox" || e.Sub != "cw@101" || e.Role != "caseworker" || *e.OrgID != "org-101" || e.Outcome != AuditOK {
		t.Fatalf("who and which request: %+v", e)
	}
	if !slices.Equal(e.CitizenRefs, []string{"ref-c1", "ref-c2"}) || len(e.Objects) != 4 || *e.MunicipalityID != "m1" {
		t.Fatalf("what was touched: %+v", e)
	}
	e.Objects[0].ID = "changed"
	if again, _ := b.Entry(); again.Objects[0].ID != "r1" {
		t.Fatal("an entry handed out shares its objects with the builder")
	}
}

func TestAuditBuilderAlwaysRecords(t *testing.T) {
	b := NewAuditBuilder(context.Background(), nil)
	b.Always()
	e, ok := b.Entry()
	if !ok || e.OrgID != nil || e.Sub != "" || e.Objects == nil || e.CitizenRefs == nil {
		t.Fatalf("a statistics request without objects: %+v, %v", e, ok)
	}
}
