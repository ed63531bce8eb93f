package main

import (
	"os"
	"strings"
	"testing"

	"exithub"
)

// appWords are the texts the loop checks, per language.
var appWords = map[string]map[string]string{
	"da": {"inbox": "Indbakke", "completed": "Afsluttet", "arrived": "Ny henvisning fra København", "citizens": "Borgere"},
	"en": {"inbox": "Inbox", "completed": "Completed", "arrived": "New referral from København", "citizens": "Citizens"},
}

// TestAppReferralLoop runs the whole loop through the web app, in Danish and
// again in English: a caseworker registers a citizen, gives consent and
// refers to an NGO; the NGO worker, whose inbox is open, sees the referral
// arrive live, receives, accepts, adds a note, starts and completes; the
// caseworker then sees the outcome and the note. Every page on the way is
// checked with axe-core.
func TestAppReferralLoop(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the web app's tests drive Chromium at %s: install the Debian package chromium: %v", chromiumPath, err)
	}
	for _, lang := range []string{"da", "en"} {
		t.Run(lang, func(t *testing.T) { appLoop(t, lang) })
	}
}

func appLoop(t *testing.T, lang string) {
	words := appWords[lang]
	if lang == "en" {
		// Once against a hub that admits only the app's own operations.
		t.Setenv("EXITHUB_ALLOW_LIST", appOperations)
	}
	h := startHub(t)
	b := newBrowser(t)
	ngo := newTab(t, b, h, "ngo worker")
	cw := newTab(t, b, h, "caseworker")

	ngo.open(h.token("reden", exithub.RoleNGOWorker))
	ngo.click(`[data-lang="` + lang + `"]`)
	ngo.view("referrals")
	if got := ngo.text("main h1"); got != words["inbox"] {
		t.Errorf("the NGO worker's first page is %q, want the inbox %q", got, words["inbox"])
	}
	ngo.poll(`document.querySelector('#live')?.dataset.live === 'connected'`)
	ngo.axe("the inbox")
	before := ngo.eval(`String(document.querySelectorAll('[data-referral]').length)`)

	cw.open(h.token("101", exithub.RoleCaseworker))
	cw.click(`[data-lang="` + lang + `"]`)
	cw.view("citizens")
	cw.axe("the citizens page")
	cw.fill(`form[data-form=register] [name=alias]`, "Maria "+lang)
	cw.fill(`form[data-form=register] [name=cpr]`, "010145-1234")
	cw.fill(`form[data-form=register] [name=birthYear]`, "1945")
	cw.click(`form[data-form=register] button[type=submit]`)
	cw.view("citizen")
	cw.fill(`form[data-form=consent] [name=ngo]`, "reden")
	cw.fill(`form[data-form=consent] [name=purpose]`, "Exit course")
	cw.click(`form[data-form=consent] input[name=details][value=ALIAS]`)
	cw.click(`form[data-form=consent] input[name=details][value=LANGUAGE]`)
	cw.click(`form[data-form=consent] button[type=submit]`)
	cw.poll(`document.querySelector('[data-consent]')`)
	cw.axe("the citizen's page")
	cw.shot(lang + "-caseworker-citizen")

	cw.click(`[data-link=refer]`)
	cw.view("refer")
	if got := cw.eval(`[...document.querySelectorAll('form[data-form=refer] input[name^=share_]')].map((i) => i.name).join(',')`); got != "share_ALIAS,share_LANGUAGE" {
		t.Errorf("the referral form offers to share %q; the consent covers ALIAS and LANGUAGE", got)
	}
	cw.axe("the referral form")
	cw.click(`form[data-form=refer] input[name=needs][value=HOUSING]`)
	cw.fill(`form[data-form=refer] [name=message]`, "Needs a place to live")
	cw.fill(`form[data-form=refer] [name=contact]`, "cw@101.example")
	cw.fill(`form[data-form=refer] [name=share_ALIAS]`, "Maria")
	cw.click(`form[data-form=refer] button[type=submit]`)
	cw.view("referral")
	id := cw.eval(`decodeURIComponent(location.hash.split('/')[2])`)

	// The NGO worker's inbox was not reloaded: the row arrives by the event.
	ngo.poll(`document.querySelector('[data-referral="` + id + `"]')`)
	if notice := ngo.text("#notice"); !strings.Contains(notice, words["arrived"]) {
		t.Errorf("on arrival the NGO worker is told %q, want %q", notice, words["arrived"])
	}
	if after := ngo.eval(`String(document.querySelectorAll('[data-referral]').length)`); after == before {
		t.Errorf("the inbox still has %s rows", after)
	}
	ngo.shot(lang + "-ngo-inbox")
	ngo.click(`[data-referral="` + id + `"] a`)
	ngo.view("referral")
	if shared := ngo.text("[data-shared]"); !strings.Contains(shared, "Maria") {
		t.Errorf("the NGO sees shared details %q, want the alias", shared)
	}
	ngo.axe("the NGO's referral page")
	ngo.click(`[data-action=receive]`)
	ngo.poll(`document.querySelector('[data-referral-status=RECEIVED] ') && document.querySelector('[data-action=accept]')`)
	ngo.click(`[data-action=accept]`)
	ngo.poll(`document.querySelector('[data-referral-status=ACCEPTED]') && document.querySelector('[data-action=start]')`)
	ngo.fill(`form[data-form=note] [name=text]`, "First meeting on Monday")
	ngo.click(`form[data-form=note] button[type=submit]`)
	ngo.poll(`document.querySelector('[data-note]')`)
	ngo.click(`[data-action=start]`)
	ngo.poll(`document.querySelector('[data-referral-status=IN_PROGRESS]') && document.querySelector('form[data-form=complete]')`)
	ngo.axe("the NGO's referral page in progress")
	ngo.fill(`form[data-form=complete] [name=outcome]`, "Moved into a flat")
	ngo.click(`form[data-form=complete] button[type=submit]`)
	ngo.poll(`document.querySelector('[data-referral-status=COMPLETED]')`)
	ngo.shot(lang + "-ngo-referral")

	// The caseworker's page follows the referral live; a reload shows the same.
	cw.poll(`document.querySelector('[data-referral-status=COMPLETED]') && document.querySelector('[data-outcome]')`)
	cw.click(`#nav a[href="#/referrals"]`)
	cw.view("referrals")
	cw.click(`[data-referral="` + id + `"] a`)
	cw.view("referral")
	if got := cw.text("[data-referral-status]"); got != words["completed"] {
		t.Errorf("the caseworker sees status %q, want %q", got, words["completed"])
	}
	if got := cw.text("[data-outcome]"); got != "Moved into a flat" {
		t.Errorf("the caseworker sees outcome %q", got)
	}
	if got := cw.text("[data-note]"); !strings.Contains(got, "First meeting on Monday") || !strings.Contains(got, "ngo_worker@reden") {
		t.Errorf("the caseworker sees the note %q", got)
	}
	if cw.eval(`String(document.querySelectorAll('[data-action]').length)`) != "0" {
		t.Error("the caseworker is offered a transition of a completed referral")
	}
	cw.axe("the caseworker's referral page")
	cw.shot(lang + "-caseworker-referral")
	ngo.clean()
	cw.clean()
}
