package main

import (
	"strings"
	"testing"
	"time"

	"exithub"
)

// TestDashboardPicksTheReleasedMonth: the municipal panel asks for the
// latest month the hub releases, by the hub's rule (a month is released
// GraceDays after it ends): the dashboard's copy of the rule agrees with
// Gate.LastReleased around month ends, and on today's date the panel
// draws that month's release instead of failing.
func TestDashboardPicksTheReleasedMonth(t *testing.T) {
	h := startHub(t)
	analyst := h.token("ministry", exithub.RoleAnalyst)
	b := newBrowser(t)
	if state := b.open(h.url + "/dashboard#token=" + analyst); state != "ready" {
		t.Fatalf("the dashboard ended in state %q", state)
	}
	for _, day := range []string{"2026-11-10", "2026-11-11", "2026-03-10", "2026-03-11", "2024-03-10", "2024-03-11", "2026-01-01", "2026-01-11", "2026-12-31"} {
		today, err := exithub.ParseDate(day)
		if err != nil {
			t.Fatal(err)
		}
		gate := exithub.Gate{Privacy: exithub.DefaultPrivacy, Now: func() time.Time { return today.Time(exithub.Copenhagen).Add(12 * time.Hour) }}
		want := gate.LastReleased().Last().String()
		got := b.evalAsync(`import('/dashboard/format.js').then((f) => f.lastReleasedMonthEnd('` + day + `') + ' ' + f.releasedMonthEnd('` + day + `', '` + day + `') + ' ' + f.releasedMonthEnd('2014-03-18', '` + day + `'))`)
		if got != want+" "+want+" 2014-02-28" {
			t.Errorf("on %s the dashboard takes %q as the latest released month end (and for that day, and for 2014-03-18); the hub %s", day, got, want)
		}
	}

	today := exithub.Today(time.Now())
	want := (&exithub.Gate{Privacy: exithub.DefaultPrivacy, Now: time.Now}).LastReleased().Last().String()
	b.eval(`(() => { const i = document.querySelector('#asof'); i.value = '` + today.String() + `'; i.dispatchEvent(new Event('change')); return '' })()`)
	if state := b.wait(); state != "ready" {
		t.Fatalf("on today's date the dashboard ends in state %q: %s", state, b.eval(`document.querySelector('#panel-muni').innerText`))
	}
	date := b.evalAsync(`import('/dashboard/format.js').then((f) => f.formatDate('` + want + `'))`)
	if sub := b.eval(`document.querySelector('#panel-muni .sub').textContent`); !strings.Contains(sub, date) {
		t.Errorf("on %s the municipal panel says %q; want the release of the month ending %s", today, sub, want)
	}
	b.checkClean()
}

// TestDashboardNamesTheRefusedField: a browser whose clock is two months
// fast takes a month for released that the hub does not release yet; the
// hub refuses asOf (BAD_USER_INPUT), and the panel says a value was
// refused and names the field by the date control's label.
func TestDashboardNamesTheRefusedField(t *testing.T) {
	h := startHub(t)
	b := newBrowser(t)
	skewClock(t, b.ctx, 60*24*time.Hour)
	b.open(h.url + "/dashboard#token=" + h.token("ministry", exithub.RoleAnalyst))
	today := exithub.Today(time.Now().Add(60 * 24 * time.Hour))
	b.eval(`(() => { const i = document.querySelector('#asof'); i.value = '` + today.String() + `'; i.dispatchEvent(new Event('change')); return '' })()`)
	if state := b.wait(); state != "error" {
		t.Fatalf("asking for a month the hub does not release yet, the dashboard ends in state %q", state)
	}
	msg := b.eval(`document.querySelector('#panel-muni [data-error-code=BAD_USER_INPUT]')?.innerText ?? ''`)
	if !strings.Contains(msg, "Ugyldig værdi") || !strings.Contains(msg, "»Opgørelsesdato«") {
		t.Errorf("the refused date is shown as %q; want it named as a refused value of the field Opgørelsesdato", msg)
	}
	b.checkClean()
}
