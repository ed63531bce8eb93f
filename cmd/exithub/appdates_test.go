package main

import (
	"testing"
	"time"

	"exithub"
)

// TestAppDefaultsDatesToTheDayInCopenhagen: at 23:30 UTC it is already the
// next day in Copenhagen, the day the hub checks dates against. The consent
// form offers that day as given and a year later as the end, whatever the
// browser's zone (the test's Chromium runs in UTC or the machine's zone).
func TestAppDefaultsDatesToTheDayInCopenhagen(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	citizen, _, _ := referralViaAPI(h, cwTok)
	now := time.Now().UTC()
	at := time.Date(now.Year(), now.Month(), now.Day(), 23, 30, 0, 0, time.UTC)
	if at.After(now) {
		// The page's clock goes back, not ahead, so that the token has not expired for it.
		at = at.AddDate(0, 0, -1)
	}
	cw := newTab(t, b, h, "caseworker")
	skewClock(t, cw.ctx, at.Sub(now))
	cw.open(cwTok)
	cw.view("citizens")
	cw.eval(`location.hash = '#/citizen/` + citizen + `'; ''`)
	cw.view("citizen")
	day := at.In(exithub.Copenhagen)
	want := day.Format(time.DateOnly) + " " + day.AddDate(1, 0, 0).Format(time.DateOnly)
	got := cw.eval(`(() => { const f = document.querySelector('form[data-form=consent]'); return f.elements.givenOn.value + ' ' + f.elements.expiresOn.value })()`)
	if got != want {
		t.Errorf("at %s the consent form offers %q; want %q, the days in Copenhagen", at.Format(time.RFC3339), got, want)
	}
	cw.clean()
}
