package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"exithub"
	"exithub/auth"
)

func authClaims(org string, role exithub.Role) auth.Claims {
	return auth.Claims{Sub: string(role) + "@" + org, Org: org, Role: role}
}

// appHub starts a hub and a browser for one web app test.
func appHub(t *testing.T) (*hub, *browser) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the web app's tests drive Chromium at %s: install the Debian package chromium: %v", chromiumPath, err)
	}
	return startHub(t), newBrowser(t)
}

// referralViaAPI registers a citizen of 101 with a consent for Reden that
// covers ALIAS and LANGUAGE, and refers it to Reden sharing the alias.
func referralViaAPI(h *hub, cw string) (citizen, consent, referral string) {
	citizen = get(h.must(cw, `mutation { registerCitizen(input: {alias: "Ana", cpr: "020345-1234"}) { id } }`, nil), "registerCitizen", "id").(string)
	today := time.Now().Format(time.DateOnly)
	consent = get(h.must(cw, `mutation($c: ID!, $d: Date!, $e: Date!) { giveConsent(input: {citizenId: $c, ngo: "reden", purpose: "Exit course",
		details: [ALIAS, LANGUAGE], givenOn: $d, expiresOn: $e}) { id } }`,
		map[string]any{"c": citizen, "d": today, "e": time.Now().AddDate(1, 0, 0).Format(time.DateOnly)}), "giveConsent", "id").(string)
	referral = appReferral(h, cw, citizen)
	return citizen, consent, referral
}

func appReferral(h *hub, cw, citizen string) string {
	return get(h.must(cw, `mutation($c: ID!) { createReferral(input: {citizenId: $c, to: "reden", needs: [HOUSING], message: "Needs a home",
		contact: "cw@101.example", sharedDetails: [{kind: ALIAS, value: "Ana"}]}) { id } }`, map[string]any{"c": citizen}), "createReferral", "id").(string)
}

// TestAppReferralFormByKeyboardOnly fills and sends the referral form with
// the keyboard alone: Tab from the heading reaches every control in the
// order they are read, Space ticks a need, Enter sends.
func TestAppReferralFormByKeyboardOnly(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	citizen, _, _ := referralViaAPI(h, cwTok)
	cw := newTab(t, b, h, "caseworker")
	cw.open(cwTok)
	cw.view("citizens")
	cw.eval(`location.hash = '#/citizen/` + citizen + `/refer'; ''`)
	cw.view("refer")
	if got := cw.focused(); got != "h1" {
		t.Fatalf("the form's page starts with focus on %q, want its heading", got)
	}
	want := []string{"select[consent]"}
	for _, n := range []string{"DRUG_TREATMENT", "HOUSING", "EDUCATION", "FINANCES", "NETWORK", "HEALTH", "LEGAL", "COUNSELLING", "OTHER"} {
		want = append(want, "input[needs="+n+"]")
	}
	want = append(want, "textarea[message]", "input[contact]", "input[share_ALIAS]", "input[share_LANGUAGE]", "button[submit]")
	var got []string
	for range want {
		cw.key(kb.Tab)
		f := cw.focused()
		got = append(got, f)
		switch f {
		case "input[needs=HOUSING]", "input[needs=COUNSELLING]":
			cw.key(" ")
		case "textarea[message]":
			cw.typeText("Typed by keyboard")
		case "input[contact]":
			cw.typeText("cw@101.example")
		case "input[share_ALIAS]":
			cw.typeText("Ana")
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("Tab visits\n%v\nwant\n%v", got, want)
	}
	cw.key(kb.Enter)
	cw.view("referral")
	if needs := cw.text("dl.facts dd"); needs != "Bolig, Rådgivning" {
		t.Errorf("the referral sent by keyboard asks for %q", needs)
	}
	if msg := cw.eval(`document.querySelectorAll('dl.facts dd')[1].innerText`); msg != "Typed by keyboard" {
		t.Errorf("the referral sent by keyboard says %q", msg)
	}
	if shared := cw.text("[data-shared]"); !strings.Contains(shared, "Ana") {
		t.Errorf("the referral sent by keyboard shares %q", shared)
	}
	cw.clean()
}

// TestAppTellsWhenTheTokenExpired: a token that runs out while the app is
// open, and one that had run out before, both end on the sign-in page
// saying the token expired; a token that is no token is "not accepted".
func TestAppTellsWhenTheTokenExpired(t *testing.T) {
	h, b := appHub(t)
	ngo := newTab(t, b, h, "ngo worker")
	short, err := h.keys.Mint(authClaims("reden", exithub.RoleNGOWorker), 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ngo.open(short)
	ngo.view("referrals")
	ngo.poll(`document.querySelector('[data-signed-out=expired]')`)
	if msg := ngo.text("[data-signed-out]"); !strings.HasPrefix(msg, "Dit token udløb") {
		t.Errorf("when the token runs out the app says %q", msg)
	}
	if ngo.eval(`sessionStorage.getItem('exithub.app.token') ?? ''`) != "" {
		t.Error("the expired token is kept")
	}
	ngo.axe("the sign-in page after expiry")
	ngo.shot("expired")

	old, err := h.keys.Mint(authClaims("reden", exithub.RoleNGOWorker), -time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ngo.open(old)
	ngo.poll(`document.querySelector('[data-signed-out=expired]')`)
	// A fresh token pasted into the sign-in form opens the inbox.
	ngo.fill(`form[data-form=signin] [name=token]`, h.token("reden", exithub.RoleNGOWorker))
	ngo.click(`form[data-form=signin] button[type=submit]`)
	ngo.view("referrals")
	if who := ngo.text("[data-signed-in]"); !strings.Contains(who, "ngo_worker@reden") || !strings.Contains(who, "Reden København") {
		t.Errorf("after signing in with a pasted token the header says %q", who)
	}
	ngo.open("not-a-token")
	if msg := ngo.poll(`document.querySelector('[data-signed-out=rejected]')?.innerText`); !strings.Contains(msg, "ikke godtaget") {
		t.Errorf("a bad token is answered %q", msg)
	}
	ngo.clean()
}

// TestAppNGOSeesAWithdrawnConsent: the NGO worker has the referral open when
// the caseworker withdraws the consent in the app; the NGO's page changes by
// itself to cancelled, with the shared details gone and said to be.
func TestAppNGOSeesAWithdrawnConsent(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	citizen, _, ref := referralViaAPI(h, cwTok)
	ngo := newTab(t, b, h, "ngo worker")
	ngo.open(h.token("reden", exithub.RoleNGOWorker))
	ngo.click(`[data-referral="` + ref + `"] a`)
	ngo.view("referral")
	ngo.poll(`document.querySelector('#live')?.dataset.live === 'connected'`)
	if shared := ngo.text("[data-shared]"); !strings.Contains(shared, "Ana") {
		t.Fatalf("before the withdrawal the NGO sees %q", shared)
	}
	cw := newTab(t, b, h, "caseworker")
	cw.open(cwTok)
	cw.eval(`location.hash = '#/citizen/` + citizen + `'; ''`)
	cw.view("citizen")
	cw.click(`form[data-form=withdraw] button[type=submit]`)
	cw.poll(`!document.querySelector('form[data-form=withdraw]')`)

	ngo.poll(`document.querySelector('[data-referral-status=CANCELLED]') && document.querySelector('[data-shared=none]')`)
	if shared := ngo.text("[data-shared]"); shared != "Ingen oplysninger: samtykket er trukket tilbage." {
		t.Errorf("after the withdrawal the NGO sees %q", shared)
	}
	if notice := ngo.text("#notice"); !strings.Contains(notice, "trukket samtykket tilbage") {
		t.Errorf("the NGO worker is told %q", notice)
	}
	if n := ngo.eval(`String(document.querySelectorAll('[data-action], form[data-form=reject]').length)`); n != "0" {
		t.Errorf("a cancelled referral offers %s actions", n)
	}
	ngo.axe("a referral cancelled by a withdrawn consent")
	ngo.shot("withdrawn")
	ngo.clean()
	cw.clean()
}

// TestAppCatchesUpAfterALostConnection: a referral sent while the inbox's
// socket is down is not replayed by the server; the app loads the inbox
// again once it has reconnected.
func TestAppCatchesUpAfterALostConnection(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	citizen, _, _ := referralViaAPI(h, cwTok)
	ngo := newTab(t, b, h, "ngo worker")
	ngo.open(h.token("reden", exithub.RoleNGOWorker))
	ngo.view("referrals")
	ngo.poll(`document.querySelector('#live')?.dataset.live === 'connected'`)
	ngo.eval(`exithubLive.drop(); ''`)
	ngo.poll(`document.querySelector('#live').dataset.live === 'closed'`)
	ref := appReferral(h, cwTok, citizen)
	if ngo.eval(`String(Boolean(document.querySelector('[data-referral="`+ref+`"]')))`) != "false" {
		t.Fatal("the referral is shown while the socket is down")
	}
	ngo.eval(`exithubLive.resume(); ''`)
	ngo.poll(`document.querySelector('[data-referral="` + ref + `"]')`)
	if notice := ngo.text("#notice"); !strings.Contains(notice, "Forbindelsen er genoprettet") {
		t.Errorf("after the reconnect the NGO worker is told %q", notice)
	}
	ngo.clean()
}

// TestAppSaysChangedMeanwhile: an action on a version someone else changed
// is answered "changed meanwhile, reload", and reloading shows the change.
func TestAppSaysChangedMeanwhile(t *testing.T) {
	h, b := appHub(t)
	_, _, ref := referralViaAPI(h, h.token("101", exithub.RoleCaseworker))
	ngoTok := h.token("reden", exithub.RoleNGOWorker)
	ngo := newTab(t, b, h, "ngo worker")
	ngo.open(ngoTok)
	ngo.click(`[data-referral="` + ref + `"] a`)
	ngo.view("referral")
	ngo.poll(`document.querySelector('#live')?.dataset.live === 'connected'`)
	ngo.eval(`exithubLive.drop(); ''`) // so the page does not follow the change by itself
	ngo.poll(`document.querySelector('#live').dataset.live === 'closed'`)
	h.must(ngoTok, `mutation($id: ID!) { receiveReferral(input: {id: $id}) { id } }`, map[string]any{"id": ref})
	ngo.click(`[data-action=receive]`)
	msg := ngo.poll(`document.querySelector('[data-error-code=CONFLICT]')?.innerText`)
	if !strings.Contains(msg, "ændret i mellemtiden") || !strings.Contains(msg, "Genindlæs") {
		t.Errorf("a stale version is answered %q", msg)
	}
	ngo.axe("the changed-meanwhile message")
	ngo.click(`[data-reload]`)
	ngo.poll(`document.querySelector('[data-referral-status=RECEIVED]') && document.querySelector('[data-action=accept]')`)
	ngo.eval(`exithubLive.resume(); ''`)
	ngo.clean()

	// A transition still legal from the new state is refused all the same:
	// the caseworker cancels what it saw as sent, but it was accepted meanwhile.
	cw := newTab(t, b, h, "caseworker")
	cw.open(h.token("101", exithub.RoleCaseworker))
	cw.eval(`location.hash = '#/referral/` + ref + `'; ''`)
	cw.view("referral")
	cw.poll(`document.querySelector('#live')?.dataset.live === 'connected'`)
	cw.eval(`exithubLive.drop(); ''`)
	cw.poll(`document.querySelector('#live').dataset.live === 'closed'`)
	h.must(ngoTok, `mutation($id: ID!) { acceptReferral(input: {id: $id}) { id } }`, map[string]any{"id": ref})
	cw.fill(`form[data-form=cancel] [name=reason]`, "Found another place")
	cw.click(`form[data-form=cancel] button[type=submit]`)
	cw.poll(`document.querySelector('[data-error-code=CONFLICT]')`)
	cw.click(`[data-reload]`)
	cw.poll(`document.querySelector('[data-referral-status=ACCEPTED]')`)
	cw.eval(`exithubLive.resume(); ''`)
	cw.clean()
}

// TestAppShowsErrorsInWordsAndHighlightsTheField: a CPR number the API
// would refuse is refused before sending, and a field the API refuses
// (extensions.field) is named in words and highlighted, in either language.
func TestAppShowsErrorsInWordsAndHighlightsTheField(t *testing.T) {
	h, b := appHub(t)
	cw := newTab(t, b, h, "caseworker")
	cw.open(h.token("101", exithub.RoleCaseworker))
	cw.view("citizens")
	cw.fill(`form[data-form=register] [name=alias]`, "Bo")
	cw.fill(`form[data-form=register] [name=cpr]`, "310245-1234") // 31 February
	cw.click(`form[data-form=register] button[type=submit]`)
	if msg := cw.poll(`document.querySelector('form[data-form=register] [role=alert]')?.innerText`); !strings.Contains(msg, "første seks cifre") {
		t.Errorf("a CPR number with no date is answered %q", msg)
	}
	if cw.eval(`document.activeElement.name + ' ' + document.activeElement.getAttribute('aria-invalid')`) != "cpr true" {
		t.Error("the CPR field is not highlighted and focused")
	}
	cw.axe("a form with a refused field")
	cw.shot("error")
	cw.fill(`form[data-form=register] [name=cpr]`, "010145-1234")
	cw.fill(`form[data-form=register] [name=birthYear]`, "1850")
	cw.click(`[data-lang="en"]`)
	cw.fill(`form[data-form=register] [name=alias]`, "Bo")
	cw.fill(`form[data-form=register] [name=cpr]`, "010145-1234")
	cw.fill(`form[data-form=register] [name=birthYear]`, "1850")
	cw.click(`form[data-form=register] button[type=submit]`)
	msg := cw.poll(`document.querySelector('form[data-form=register] [data-error-code=BAD_USER_INPUT]')?.innerText`)
	if !strings.Contains(msg, "Something in the form needs correcting") || !strings.Contains(msg, "“Year of birth”") {
		t.Errorf("the API's refusal of the birth year is shown as %q", msg)
	}
	if cw.eval(`document.querySelector('[aria-invalid=true]')?.name ?? ''`) != "birthYear" {
		t.Error("the field the API named is not highlighted")
	}
	cw.clean()
}

// TestAppOffersOnlyWhatThePolicyAllows: each role's menu and buttons follow
// me { permissions }; the access page lists exactly those permissions.
func TestAppOffersOnlyWhatThePolicyAllows(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	citizen, _, ref := referralViaAPI(h, cwTok)
	ngoTok := h.token("reden", exithub.RoleNGOWorker)
	ngo := newTab(t, b, h, "ngo worker")
	ngo.open(ngoTok)
	ngo.view("referrals")
	if nav := ngo.eval(`[...document.querySelectorAll('#nav a')].map((a) => a.getAttribute('href')).join(' ')`); nav != "#/inbox #/agreements #/access" {
		t.Errorf("the NGO worker is offered %q", nav)
	}
	ngo.eval(`location.hash = '#/citizen/` + citizen + `'; ''`)
	ngo.view("referrals") // not a page for this role: back to the inbox
	ngo.eval(`location.hash = '#/access'; ''`)
	ngo.view("access")
	perms := get(h.must(ngoTok, `{ me { permissions { resource } } }`, nil), "me", "permissions").([]any)
	if n := ngo.eval(`String(document.querySelectorAll('[data-permission]').length)`); n != strconv.Itoa(len(perms)) {
		t.Errorf("the access page lists %s permissions, the API %d", n, len(perms))
	}
	if who := ngo.text("[data-who]"); !strings.Contains(who, "ngo_worker@reden") || !strings.Contains(who, "Reden København") {
		t.Errorf("the access page says %q", who)
	}
	ngo.axe("the access page")
	ngo.shot("access")

	cw := newTab(t, b, h, "caseworker")
	cw.open(cwTok)
	cw.view("citizens")
	if nav := cw.eval(`[...document.querySelectorAll('#nav a')].map((a) => a.getAttribute('href')).join(' ')`); nav != "#/referrals #/citizens #/agreements #/access" {
		t.Errorf("the caseworker is offered %q", nav)
	}
	cw.eval(`location.hash = '#/referral/` + ref + `'; ''`)
	cw.view("referral")
	if acts := cw.eval(`[...document.querySelectorAll('[data-action], form[data-form]')].map((e) => e.dataset.action ?? e.dataset.form).join(' ')`); acts != "cancel note" {
		t.Errorf("on a sent referral the caseworker is offered %q, want only cancel and a note", acts)
	}
	cw.fill(`form[data-form=cancel] [name=reason]`, "The citizen moved")
	cw.click(`form[data-form=cancel] button[type=submit]`)
	cw.poll(`document.querySelector('[data-referral-status=CANCELLED]')`)
	cw.eval(`location.hash = '#/citizen/` + citizen + `/log'; ''`)
	cw.view("log")
	if rows := cw.eval(`String(document.querySelectorAll('[data-log] tbody tr').length)`); rows == "0" {
		t.Error("the access log is empty after the citizen was registered and read")
	}
	cw.axe("the access log")
	cw.eval(`location.hash = '#/agreements'; ''`)
	cw.view("agreements")
	cw.fill(`form[data-form=agreement] [name=ngo]`, "reden")
	cw.fill(`form[data-form=agreement] [name=to]`, time.Now().AddDate(1, 0, 0).Format(time.DateOnly))
	cw.fill(`form[data-form=agreement] [name=amount]`, "250000.00")
	cw.fill(`form[data-form=agreement] [name=services]`, "Counselling, Housing")
	cw.click(`form[data-form=agreement] button[type=submit]`)
	cw.poll(`[...document.querySelectorAll('td.num')].some((td) => td.innerText === '250000.00')`)
	cw.axe("the agreements page")
	cw.eval(`location.hash = '#/citizen/` + citizen + `'; ''`)
	cw.view("citizen")
	cw.fill(`form[data-form=course] [name=track]`, "EXIT")
	cw.click(`form[data-form=course] button[type=submit]`)
	cw.poll(`document.querySelector('[data-course] form[data-form=phase]')`)
	cw.click(`[data-course] form[data-form=phase] button[type=submit]`)
	cw.poll(`document.querySelector('[data-course] h3')?.innerText.includes('Fase 2')`)
	cw.fill(`[data-course] form[data-form=plan] [name=goal]`, "A lease of her own")
	cw.click(`[data-course] form[data-form=plan] button[type=submit]`)
	cw.poll(`document.querySelector('[data-course]')?.innerText.includes('A lease of her own')`)
	cw.axe("the citizen's page with a course")
	cw.eval(`document.querySelector('[data-sign-out]').click(); ''`)
	cw.poll(`document.documentElement.dataset.view === 'signin'`)
	cw.axe("the sign-in page")

	// A role with nothing to do in the app is shown what its token allows, and nothing more.
	analyst := newTab(t, b, h, "analyst")
	analyst.open(h.token("ministry", exithub.RoleAnalyst))
	analyst.view("access")
	if nav := analyst.eval(`[...document.querySelectorAll('#nav a')].map((a) => a.getAttribute('href')).join(' ')`); nav != "#/agreements #/access" {
		t.Errorf("the analyst is offered %q", nav)
	}
	analyst.eval(`location.hash = '#/inbox'; ''`)
	analyst.poll(`location.hash === '#/access' && document.documentElement.dataset.state === 'ready'`)
	ngo.clean()
	cw.clean()
	analyst.clean()
}

// TestAppInboxFiltersAndPages: the inbox pages forward with the connection's
// cursor (no row twice) and the status filter shows only that status.
func TestAppInboxFiltersAndPages(t *testing.T) {
	h, b := appHub(t)
	cwTok, ngoTok := h.token("101", exithub.RoleCaseworker), h.token("reden", exithub.RoleNGOWorker)
	citizen, _, _ := referralViaAPI(h, cwTok)
	appReferral(h, cwTok, citizen)
	appReferral(h, cwTok, citizen)
	var all []string
	for _, e := range get(h.must(ngoTok, `{ referrals(first: 100) { edges { node { id } } } }`, nil), "referrals", "edges").([]any) {
		all = append(all, get(e, "node", "id").(string))
	}
	if len(all) <= 20 || len(all) > 40 {
		t.Fatalf("the test wants two pages of referrals for Reden, not %d", len(all))
	}
	ngo := newTab(t, b, h, "ngo worker")
	ngo.open(ngoTok)
	ngo.view("referrals")
	ids := `[...document.querySelectorAll('[data-referral]')].map((r) => r.dataset.referral).join(' ')`
	first := strings.Fields(ngo.eval(ids))
	if len(first) != 20 {
		t.Fatalf("the inbox's first page has %d rows, want 20 (the demo has more)", len(first))
	}
	ngo.click(`[data-next]`)
	ngo.poll(`location.hash.includes('after=') && document.documentElement.dataset.state === 'ready'`)
	second := strings.Fields(ngo.eval(ids))
	if len(second) == 0 {
		t.Fatal("the second page is empty")
	}
	if got := strings.Join(append(first, second...), " "); got != strings.Join(all, " ") {
		t.Errorf("the two pages show\n%s\nthe API lists\n%s", got, strings.Join(all, " "))
	}
	ngo.fill(`#status-filter`, "RECEIVED")
	ngo.click(`[data-apply-filter]`)
	ngo.poll(`location.hash === '#/inbox?status=RECEIVED' && document.documentElement.dataset.state === 'ready'`)
	statuses := ngo.eval(`[...new Set([...document.querySelectorAll('[data-referral]')].map((r) => r.dataset.status))].join(' ')`)
	if statuses != "RECEIVED" {
		t.Errorf("filtered by RECEIVED the inbox shows %q", statuses)
	}
	ngo.axe("the filtered inbox")
	ngo.clean()
}
