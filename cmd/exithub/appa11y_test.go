package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"exithub"
)

// TestAppKeepsFocusAcrossRedraws: a live event redraws the inbox, and a
// sent note redraws the referral's page; focus stays on the link or the
// form it was on instead of falling to the page's body.
func TestAppKeepsFocusAcrossRedraws(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	citizen, _, ref := referralViaAPI(h, cwTok)
	ngo := newTab(t, b, h, "ngo worker")
	ngo.open(h.token("reden", exithub.RoleNGOWorker))
	ngo.view("referrals")
	ngo.poll(`document.querySelector('#live')?.dataset.live === 'connected'`)
	link := `[data-referral="` + ref + `"] a`
	ngo.eval(`document.querySelector('` + link + `').focus(); ''`)
	arrived := appReferral(h, cwTok, citizen)
	ngo.poll(`document.querySelector('[data-referral="` + arrived + `"]') && document.documentElement.dataset.state === 'ready'`)
	if got := ngo.eval(`document.activeElement.closest('[data-referral]')?.dataset.referral ?? document.activeElement.tagName`); got != ref {
		t.Errorf("after the inbox was drawn again focus is on %q, want the link it was on", got)
	}

	ngo.click(link)
	ngo.view("referral")
	ngo.fill(`form[data-form=note] [name=text]`, "Called her back")
	ngo.eval(`(() => { const b = document.querySelector('form[data-form=note] button[type=submit]'); b.focus(); b.click(); return '' })()`)
	ngo.poll(`[...document.querySelectorAll('[data-note]')].some((n) => n.innerText.includes('Called her back')) && document.documentElement.dataset.state === 'ready'`)
	if got := ngo.eval(`document.activeElement.closest('form')?.dataset.form ?? document.activeElement.tagName`); got != "note" {
		t.Errorf("after the note was sent focus is on %q, want the note's form", got)
	}
	ngo.clean()
}

// TestAppStatusFilterWaitsToBeApplied: moving through the statuses with
// the arrow keys does not load a page per step (WCAG 3.2.2); the Filter
// button applies the choice.
func TestAppStatusFilterWaitsToBeApplied(t *testing.T) {
	h, b := appHub(t)
	ngo := newTab(t, b, h, "ngo worker")
	ngo.open(h.token("reden", exithub.RoleNGOWorker))
	ngo.view("referrals")
	before := ngo.eval(`location.hash`)
	ngo.eval(`document.querySelector('#status-filter').focus(); ''`)
	ngo.key(kb.ArrowDown)
	// A change of page starts in the change event, which the key press has
	// fired by now.
	if got := ngo.eval(`document.querySelector('#status-filter').value + ' ' + location.hash`); got != "REQUESTED "+before {
		t.Fatalf("after an arrow key on the filter the choice and address are %q; want REQUESTED and still %s", got, before)
	}
	ngo.click(`[data-apply-filter]`)
	ngo.poll(`location.hash === '#/inbox?status=REQUESTED' && document.documentElement.dataset.state === 'ready'`)
	ngo.axe("the inbox's filter")
	ngo.clean()
}

// TestAppLanguageSwitchKeepsWhatWasEntered: switching language draws the
// page again; a half-filled form keeps its values, its choices (and the
// controls they govern) and its idempotency key.
func TestAppLanguageSwitchKeepsWhatWasEntered(t *testing.T) {
	h, b := appHub(t)
	cw := newTab(t, b, h, "caseworker")
	cw.open(h.token("101", exithub.RoleCaseworker))
	cw.view("citizens")
	form := `form[data-form=register]`
	cw.fill(form+` [name=alias]`, "Half filled")
	cw.click(form + ` [name=anonymous]`)
	cw.fill(form+` [name=birthYear]`, "1990")
	cw.fill(form+` [name=gender]`, "FEMALE")
	state := `(() => { const f = document.querySelector('` + form + `'); return [f.elements.alias.value, f.elements.anonymous.checked, f.elements.cpr.disabled, f.elements.birthYear.value, f.elements.gender.value, f.dataset.idempotencyKey].join('|') })()`
	before := cw.eval(state)
	cw.click(`[data-lang="en"]`)
	cw.poll(`document.querySelector('main h1')?.innerText === 'Citizens'`)
	if after := cw.eval(state); after != before || !strings.HasPrefix(after, "Half filled|true|true|1990|FEMALE|") {
		t.Errorf("after switching language the form holds %q, before %q", after, before)
	}
	cw.clean()
}
