package db_test

import (
	"reflect"
	"testing"

	"exithub"
)

// A brief page is the full page without the request's text: the same
// referrals, cursors, organisations, state and events, the text left zero.
func TestABriefPageLeavesTheTextUnread(t *testing.T) {
	d, _ := openDB(t)
	seedReferrals(t, d)
	ctx := as(t, d, "101", exithub.RoleCaseworker)
	for _, events := range []bool{false, true} {
		full, fullInfo, err := d.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 10}, exithub.ReferralParts{Events: events})
		if err != nil {
			t.Fatal(err)
		}
		brief, briefInfo, err := d.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 10}, exithub.ReferralParts{Events: events, Brief: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(full) < 2 || len(brief) != len(full) || !reflect.DeepEqual(briefInfo.Cursors, fullInfo.Cursors) {
			t.Fatalf("events %v: %d full and %d brief referrals, cursors %v and %v", events, len(full), len(brief), fullInfo.Cursors, briefInfo.Cursors)
		}
		for i, f := range full {
			// The two seeded just now are the newest.
			if i < 2 && (f.Message != "hello" || len(f.Needs) != 1 || len(f.SharedDetails) != 1 || f.Contact == "" || f.ConsentID == nil) {
				t.Fatalf("the full read lacks the request's text: %+v", f)
			}
			b := *brief[i]
			if b.Message != "" || b.Needs != nil || b.SharedDetails != nil || b.Contact != "" || b.ConsentID != nil ||
				b.ExternalOffer != nil || b.Outcome != nil {
				t.Fatalf("the brief read has the request's text: %+v", b)
			}
			want := *f
			want.ExternalOffer, want.ConsentID, want.Needs, want.Message, want.SharedDetails, want.Contact, want.Outcome =
				nil, nil, nil, "", nil, "", nil
			if !reflect.DeepEqual(b, want) {
				t.Fatalf("events %v: brief %+v, want %+v", events, b, want)
			}
			if events && len(b.Events) == 0 {
				t.Fatalf("the brief read lacks the events: %+v", b)
			}
		}
	}
}

// A page with brief events has of each event its kind, the state it led to
// and its actor, in the same order; the rest is left zero.
func TestBriefEventsAreTheStatesAndActors(t *testing.T) {
	d, _ := openDB(t)
	seedReferrals(t, d)
	ctx := as(t, d, "101", exithub.RoleCaseworker)
	full, _, err := d.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 10}, exithub.ReferralParts{Events: true})
	if err != nil {
		t.Fatal(err)
	}
	brief, _, err := d.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 10},
		exithub.ReferralParts{Events: true, Brief: true, BriefEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(brief) != len(full) || len(full) < 2 {
		t.Fatalf("%d brief and %d full referrals", len(brief), len(full))
	}
	events := 0
	for i, f := range full {
		if brief[i].ID != f.ID || len(brief[i].Events) != len(f.Events) {
			t.Fatalf("referral %d: brief %s with %d events, full %s with %d", i, brief[i].ID, len(brief[i].Events), f.ID, len(f.Events))
		}
		for j, e := range f.Events {
			want := exithub.ReferralEvent{ReferralID: e.ReferralID, Kind: e.Kind, To: e.To, ActorSub: e.ActorSub}
			if got := *brief[i].Events[j]; !reflect.DeepEqual(got, want) {
				t.Fatalf("event %d of %s: %+v, want %+v", j, f.ID, got, want)
			}
			events++
		}
	}
	if events == 0 {
		t.Fatal("the page has no events to compare")
	}
}
