package db_test

import (
	"context"
	"reflect"
	"testing"

	"exithub"
)

// TestAListedPageCarriesEachReferralsWholeHistory: a page read with its
// events gives every referral the history that reading its events alone
// gives, whole and oldest first, whether it has several events, one or none,
// in both directions of paging, full and brief; and the page's order and
// size stay those of the referrals, not of their events.
func TestAListedPageCarriesEachReferralsWholeHistory(t *testing.T) {
	d, url := openDB(t)
	seedReferrals(t, d)
	ngo := as(t, d, "reden", exithub.RoleNGOWorker)
	inbox, _, err := d.FindReferrals(ngo, exithub.ReferralFilter{}, exithub.Page{Size: 10}, exithub.ReferralParts{})
	if err != nil || len(inbox) == 0 {
		t.Fatalf("reden's inbox: %d referrals, %v", len(inbox), err)
	}
	id := inbox[0].ID
	for _, a := range []exithub.Action{exithub.ActReceive, exithub.ActAccept} {
		if _, err := d.TransitionReferral(ngo, exithub.Transition{ReferralID: id, Action: a}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.AddReferralNote(ngo, id, "called"); err != nil {
		t.Fatal(err)
	}
	// A referral without events, which no service call leaves.
	mustExec(t, rawConn(t, url), `INSERT INTO hub.referrals (citizen_id, municipality_id, from_id, ngo_id, consent_id, needs, message, contact, status, created_at, updated_at)
	  SELECT citizen_id, municipality_id, from_id, ngo_id, consent_id, needs, message, contact, status, created_at - interval '1 day', updated_at
	  FROM hub.referrals WHERE id = $1`, id)

	ctx := as(t, d, "101", exithub.RoleCaseworker)
	all, _, err := d.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 100}, exithub.ReferralParts{})
	if err != nil || len(all) < 3 {
		t.Fatalf("the municipality's list: %d referrals, %v", len(all), err)
	}
	for _, parts := range []exithub.ReferralParts{{Events: true}, {Events: true, Brief: true, BriefEvents: true}} {
		first, info, err := d.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 2}, parts)
		if err != nil {
			t.Fatal(err)
		}
		rest, _, err := d.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 100, After: *info.EndCursor}, parts)
		if err != nil {
			t.Fatal(err)
		}
		back, _, err := d.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 10, Before: *info.EndCursor, Backward: true}, parts)
		if err != nil {
			t.Fatal(err)
		}
		page := append(append([]*exithub.Referral{}, first...), rest...)
		if len(first) != 2 || len(page) != len(all) || len(back) != 1 || back[0].ID != first[0].ID {
			t.Fatalf("%+v: pages of %d and %d referrals of %d, %d before the second", parts, len(first), len(rest), len(all), len(back))
		}
		for i, r := range page {
			if r.ID != all[i].ID {
				t.Fatalf("%+v: referral %d is %s, listed without events %s", parts, i, r.ID, all[i].ID)
			}
		}
		checkHistories(t, ctx, d, append(page, back...), parts, map[string]int{id: 4})
	}
}

// checkHistories compares each referral's events with those read alone,
// trimmed as a brief read trims them, and their numbers with want (one
// where not said, none for a referral made without any).
func checkHistories(t *testing.T, ctx context.Context, d interface {
	ReferralEvents(context.Context, []string) (map[string][]*exithub.ReferralEvent, error)
}, refs []*exithub.Referral, parts exithub.ReferralParts, want map[string]int) {
	t.Helper()
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	alone, err := d.ReferralEvents(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	empty := 0
	for _, r := range refs {
		wantEvents := alone[r.ID]
		if parts.BriefEvents {
			wantEvents = make([]*exithub.ReferralEvent, len(alone[r.ID]))
			for i, e := range alone[r.ID] {
				wantEvents[i] = &exithub.ReferralEvent{ReferralID: e.ReferralID, Kind: e.Kind, To: e.To, ActorSub: e.ActorSub}
			}
		}
		if r.Events == nil || len(r.Events) != len(wantEvents) || (len(wantEvents) > 0 && !reflect.DeepEqual(r.Events, wantEvents)) {
			t.Fatalf("%+v: the %d events of %s are not the %d read alone, in their order", parts, len(r.Events), r.ID, len(wantEvents))
		}
		if n, ok := want[r.ID]; ok && len(r.Events) != n {
			t.Fatalf("%+v: %s has %d events, want %d", parts, r.ID, len(r.Events), n)
		}
		if len(r.Events) == 0 {
			empty++
		}
	}
	if empty != 1 {
		t.Fatalf("%+v: %d referrals without events, want the one made without", parts, empty)
	}
}
