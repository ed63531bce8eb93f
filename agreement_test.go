package exithub_test

import (
	"testing"

	"exithub"
)

// A draft is activated or ended, an active agreement ended; nothing else.
func TestAnAgreementsStatusMovesForwardOnly(t *testing.T) {
	all := []exithub.AgreementStatus{exithub.AgreementDraft, exithub.AgreementActive, exithub.AgreementEnded}
	legal := map[[2]exithub.AgreementStatus]bool{
		{exithub.AgreementDraft, exithub.AgreementActive}: true,
		{exithub.AgreementDraft, exithub.AgreementEnded}:  true,
		{exithub.AgreementActive, exithub.AgreementEnded}: true,
	}
	for _, from := range all {
		for _, to := range all {
			err := from.CanBecome(to)
			if want := legal[[2]exithub.AgreementStatus{from, to}]; (err == nil) != want || (err != nil && exithub.ErrorCode(err) != exithub.ECONFLICT) {
				t.Errorf("%s → %s: %v; legal: %t", from, to, err, want)
			}
		}
	}
}

// A write that names the version it saw proceeds only while it is current.
func TestCheckVersion(t *testing.T) {
	seen, stale := 3, 2
	if err := exithub.CheckVersion("course", 3, &seen); err != nil {
		t.Fatalf("the current version: %v", err)
	}
	if err := exithub.CheckVersion("course", 3, nil); err != nil {
		t.Fatalf("no version named: %v", err)
	}
	err := exithub.CheckVersion("course", 3, &stale)
	var e *exithub.Error
	if exithub.ErrorCode(err) != exithub.ECONFLICT || !asError(err, &e) || e.Field != "expectedVersion" {
		t.Fatalf("a stale version: %v; want CONFLICT on expectedVersion", err)
	}
}

// A referral to an offer outside the hub takes a cancel and nothing else.
func TestAReferralOutsideTheHubIsOnlyCancelled(t *testing.T) {
	r := &exithub.Referral{Status: exithub.StatusRequested}
	if _, err := r.Next(exithub.ActReceive); exithub.ErrorCode(err) != exithub.ECONFLICT {
		t.Fatalf("received: %v; want CONFLICT", err)
	}
	if next, err := r.Next(exithub.ActCancel); err != nil || next != exithub.StatusCancelled {
		t.Fatalf("cancelled: %s, %v", next, err)
	}
	to := "ngo-id"
	r.ToID = &to
	if next, err := r.Next(exithub.ActReceive); err != nil || next != exithub.StatusReceived {
		t.Fatalf("a referral in the hub received: %s, %v", next, err)
	}
}
