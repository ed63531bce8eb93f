package main

import (
	"strings"
	"testing"
	"time"

	"exithub"
)

// TestAppAnswersAConflictInAnyFormWithAReload: a course event sent with the
// version the page shows, after the course changed elsewhere, is answered
// CONFLICT in the general words (not those of a referral, and with no
// "field Version" to correct), with a button that loads the page again and
// shows the change.
func TestAppAnswersAConflictInAnyFormWithAReload(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	citizen, _, _ := referralViaAPI(h, cwTok)
	today := time.Now().Format(time.DateOnly)
	course := get(h.must(cwTok, `mutation($c: ID!, $d: Date!) { startCourse(input: {citizenId: $c, kind: CTI, track: EXIT, startedOn: $d}) { id } }`,
		map[string]any{"c": citizen, "d": today}), "startCourse", "id").(string)
	cw := newTab(t, b, h, "caseworker")
	cw.open(cwTok)
	cw.view("citizens")
	cw.eval(`location.hash = '#/citizen/` + citizen + `'; ''`)
	cw.view("citizen")
	h.must(cwTok, `mutation($c: ID!, $d: Date!) { startCoursePhase(input: {courseId: $c, phase: 2, on: $d}) { id } }`, map[string]any{"c": course, "d": today})

	cw.fill(`[data-course] form[data-form=plan] [name=goal]`, "A lease of her own")
	cw.click(`[data-course] form[data-form=plan] button[type=submit]`)
	msg := cw.poll(`document.querySelector('[data-course] form[data-form=plan] [data-error-code=CONFLICT]')?.innerText`)
	if !strings.Contains(msg, "Det er ændret i mellemtiden") || strings.Contains(msg, "Henvisningen") {
		t.Errorf("a course changed meanwhile is answered %q; want the general words for CONFLICT", msg)
	}
	if strings.Contains(msg, "Feltet") || strings.Contains(msg, "Version") {
		t.Errorf("a course changed meanwhile asks to correct a field: %q", msg)
	}
	cw.axe("a form's conflict")
	cw.click(`[data-course] form[data-form=plan] [data-reload]`)
	cw.poll(`document.querySelector('[data-course] h3')?.innerText.includes('Fase 2')`)
	cw.clean()
}
