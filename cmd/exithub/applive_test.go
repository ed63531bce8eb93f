package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"exithub"
)

// TestAppCatchesUpWhenTheHubEndsTheSubscription: the hub loses its LISTEN
// session and ends every subscription with a retryable UNAVAILABLE while
// the NGO worker's inbox is open; the socket stays up. A referral sent
// meanwhile appears without a reload, and the inbox is live again: the
// next referral arrives as an event.
func TestAppCatchesUpWhenTheHubEndsTheSubscription(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	citizen, _, _ := referralViaAPI(h, cwTok)
	ngo := newTab(t, b, h, "ngo worker")
	ngo.open(h.token("reden", exithub.RoleNGOWorker))
	ngo.view("referrals")
	ngo.poll(`document.querySelector('#live')?.dataset.live === 'connected'`)
	subscribed := func() bool { return h.main.listener.Subscribers() == 1 }
	waitUntil(t, 5*time.Second, "the inbox's subscription", subscribed)

	terminateListener(t, h)
	waitUntil(t, 5*time.Second, "the hub noticing the loss", func() bool { return h.main.listener.Losses() == 1 })
	// The subscription the inbox had is gone: this referral can reach the
	// page only by a new subscription or by loading the inbox again.
	missed := appReferral(h, cwTok, citizen)
	ngo.poll(`document.querySelector('[data-referral="` + missed + `"]')`)

	waitUntil(t, 10*time.Second, "the inbox subscribed again", subscribed)
	next := appReferral(h, cwTok, citizen)
	ngo.poll(`document.querySelector('[data-referral="` + next + `"]')`)
	if notice := ngo.text("#notice"); !strings.Contains(notice, "Ny henvisning fra København") {
		t.Errorf("after the next referral the NGO worker is told %q", notice)
	}
	if s := ngo.eval(`document.querySelector('#live').dataset.live`); s != "connected" {
		t.Errorf("the header says the live updates are %q", s)
	}
	// The waits before subscribing or connecting again are spread, so that
	// the tabs the hub let go of at once do not all come back at once.
	var lo, hi float64
	spread := ngo.poll(`import('/app/live.js').then((m) => { const w = Array.from({ length: 50 }, () => m.backoff(3)); return Math.min(...w) + ' ' + Math.max(...w) })`)
	if _, err := fmt.Sscan(spread, &lo, &hi); err != nil || lo < 2000 || hi > 4000 || hi-lo < 100 {
		t.Errorf("50 waits before the fourth retry range over %s ms; want them spread within 2000-4000", spread)
	}
	ngo.clean()
}

// TestAppSignsOutWhenTheSocketRefusesTheToken: the hub closes the socket
// with 4403 when the token runs out (plus its leeway); the page's clock is
// an hour slow, so the app's own expiry timer has not fired. The app does
// not reconnect for ever with a token the hub refuses: it signs the user
// out and says to sign in again.
func TestAppSignsOutWhenTheSocketRefusesTheToken(t *testing.T) {
	h, b := appHub(t)
	ngo := newTab(t, b, h, "ngo worker")
	skewClock(t, ngo.ctx, -time.Hour)
	// Accepted for ten more seconds: issued 50 s ago for 30 s, and the
	// verifier's leeway is 30 s.
	ngo.open(mintAt(t, h, "reden", time.Now().Add(-50*time.Second), 30*time.Second))
	ngo.view("referrals")
	msg := ngo.poll(`document.querySelector('[data-signed-out]')?.innerText`)
	if !strings.Contains(msg, "Log ind igen") {
		t.Errorf("when the socket refuses the token the app says %q", msg)
	}
	if ngo.eval(`sessionStorage.getItem('exithub.app.token') ?? ''`) != "" {
		t.Error("the refused token is kept")
	}
	if ngo.eval(`String(typeof window.exithubLive)`) != "undefined" {
		t.Error("the live updates go on after the sign-out")
	}
	ngo.clean()
}

// TestAppKeepsAHalfWrittenNoteAcrossAReconnect: the socket drops and comes
// back while the NGO worker is writing a note; the catch-up does not draw
// the page again over the text.
func TestAppKeepsAHalfWrittenNoteAcrossAReconnect(t *testing.T) {
	h, b := appHub(t)
	_, _, ref := referralViaAPI(h, h.token("101", exithub.RoleCaseworker))
	ngo := newTab(t, b, h, "ngo worker")
	ngo.open(h.token("reden", exithub.RoleNGOWorker))
	ngo.click(`[data-referral="` + ref + `"] a`)
	ngo.view("referral")
	ngo.poll(`document.querySelector('#live')?.dataset.live === 'connected'`)
	ngo.fill(`form[data-form=note] [name=text]`, "Half a thought")
	ngo.eval(`exithubLive.drop(); ''`)
	ngo.poll(`document.querySelector('#live').dataset.live === 'closed'`)
	ngo.eval(`exithubLive.resume(); ''`)
	// The notice and the reload start in one step of the page; ready is the reload's end.
	ngo.poll(`document.querySelector('#notice').innerText.includes('Forbindelsen er genoprettet') && document.documentElement.dataset.state === 'ready'`)
	if got := ngo.eval(`document.querySelector('form[data-form=note] [name=text]').value`); got != "Half a thought" {
		t.Errorf("after the reconnect the note reads %q", got)
	}
	ngo.clean()
}

// skewClock makes the pages a browser context (a tab's, or a browser's)
// loads see a clock off by shift, as on a machine whose clock is wrong.
func skewClock(t *testing.T, ctx context.Context, shift time.Duration) {
	t.Helper()
	src := fmt.Sprintf(`(() => {
  const shift = %d;
  const Real = Date;
  class Skewed extends Real {
    constructor(...a) { if (a.length === 0) super(Real.now() + shift); else super(...a); }
    static now() { return Real.now() + shift; }
  }
  globalThis.Date = Skewed;
})();`, shift.Milliseconds())
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
		t.Fatal(err)
	}
}
