package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"exithub"
)

// TestAppRetriesAnUnavailableCreateWithTheSameKey: the hub commits a
// registration but its answer is UNAVAILABLE with Retry-After (as when the
// connection failed after the commit); the app sends it again by itself
// after the wait, with the same idempotency key, and the hub answers with
// the citizen it made: one citizen, and the app shows it.
func TestAppRetriesAnUnavailableCreateWithTheSameKey(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	cw := newTab(t, b, h, "caseworker")
	f := injectFaults(t, cw, "Register", func(n int) *fault {
		if n > 1 {
			return nil
		}
		fl := unavailable("1")
		fl.after = true
		return fl
	})
	cw.open(cwTok)
	cw.view("citizens")
	cw.fill(`form[data-form=register] [name=alias]`, "Retried Rita")
	cw.click(`form[data-form=register] [name=anonymous]`)
	cw.click(`form[data-form=register] button[type=submit]`)
	cw.view("citizen")
	sent := f.sent(t)
	if len(sent) != 2 {
		t.Fatalf("the registration was sent %d times, want twice (the answer UNAVAILABLE, then again)", len(sent))
	}
	if k := keys(t, sent); k[0] == "" || k[0] == "<nil>" || k[0] != k[1] {
		t.Errorf("the registration and its repeat carry the keys %q", k)
	}
	ids := citizensNamed(h, cwTok, "Retried Rita")
	if len(ids) != 1 {
		t.Fatalf("the hub holds %d citizens named Retried Rita, want 1", len(ids))
	}
	if shown := cw.eval(`decodeURIComponent(location.hash.split('/')[2])`); shown != ids[0] {
		t.Errorf("the app shows citizen %s, the hub made %s", shown, ids[0])
	}
	cw.clean()
}

// TestAppResubmitAfterALostAnswerCreatesOnce: the hub commits a referral
// but the connection breaks before its answer; the form says so, and the
// caseworker sends the same form again, which carries the same key: the
// hub answers with the referral it made, and there is one.
func TestAppResubmitAfterALostAnswerCreatesOnce(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	citizen, _, _ := referralViaAPI(h, cwTok)
	cw := newTab(t, b, h, "caseworker")
	f := injectFaults(t, cw, "Refer", func(n int) *fault {
		if n > 1 {
			return nil
		}
		return &fault{after: true, fail: true}
	})
	cw.open(cwTok)
	cw.view("citizens")
	cw.eval(`location.hash = '#/citizen/` + citizen + `/refer'; ''`)
	cw.view("refer")
	cw.click(`form[data-form=refer] input[name=needs][value=LEGAL]`)
	cw.fill(`form[data-form=refer] [name=message]`, "Sent once, answered never")
	cw.fill(`form[data-form=refer] [name=contact]`, "cw@101.example")
	cw.click(`form[data-form=refer] button[type=submit]`)
	cw.poll(`document.querySelector('form[data-form=refer] [data-error-code=NETWORK]')`)
	cw.click(`form[data-form=refer] button[type=submit]`)
	cw.view("referral")
	if k := keys(t, f.sent(t)); len(k) != 2 || k[0] != k[1] {
		t.Errorf("the form and its resubmission carry the keys %q", k)
	}
	var n int
	for _, e := range get(h.must(cwTok, `{ referrals(first: 100) { edges { node { message } } } }`, nil), "referrals", "edges").([]any) {
		if get(e, "node", "message") == "Sent once, answered never" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the hub holds %d such referrals, want 1", n)
	}
	cw.clean()
}

// TestAppRetriesAProxysGatewayError: a proxy in front of the hub answers
// 502 with a page of its own; the app takes it as UNAVAILABLE, sends the
// agreement again after a backoff, and the hub registers it.
func TestAppRetriesAProxysGatewayError(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	cw := newTab(t, b, h, "caseworker")
	f := injectFaults(t, cw, "CreateAgreement", func(n int) *fault {
		if n > 1 {
			return nil
		}
		return &fault{before: true, status: 502, header: map[string]string{"Content-Type": "text/html"}, body: "<html><body>502 Bad Gateway</body></html>"}
	})
	cw.open(cwTok)
	cw.view("citizens")
	cw.eval(`location.hash = '#/agreements'; ''`)
	cw.view("agreements")
	cw.fill(`form[data-form=agreement] [name=ngo]`, "reden")
	cw.fill(`form[data-form=agreement] [name=to]`, time.Now().AddDate(1, 0, 0).Format(time.DateOnly))
	cw.fill(`form[data-form=agreement] [name=amount]`, "123456.78")
	cw.fill(`form[data-form=agreement] [name=services]`, "Counselling")
	cw.click(`form[data-form=agreement] button[type=submit]`)
	cw.poll(`[...document.querySelectorAll('td.num')].some((td) => td.innerText === '123456.78')`)
	if n := len(f.sent(t)); n != 2 {
		t.Errorf("the agreement was sent %d times, want twice", n)
	}
	if msg := cw.text(`form[data-form=agreement] [role=alert]`); msg != "" {
		t.Errorf("after the retry succeeded the form still says %q", msg)
	}
	cw.clean()
}

// TestAppShowsFinalCodesAtOnceAndRetriesABoundedNumberOfTimes: a final
// code (FORBIDDEN) is shown after one attempt; a retryable one that does
// not clear is sent ATTEMPTS times in all and then shown.
func TestAppShowsFinalCodesAtOnceAndRetriesABoundedNumberOfTimes(t *testing.T) {
	h, b := appHub(t)
	cwTok := h.token("101", exithub.RoleCaseworker)
	citizen, _, _ := referralViaAPI(h, cwTok)
	cw := newTab(t, b, h, "caseworker")
	f := injectFaults(t, cw, "StartCourse", func(n int) *fault {
		if n == 1 {
			return &fault{before: true, status: 200, header: map[string]string{"Content-Type": "application/json"},
				body: `{"errors":[{"message":"the role caseworker may not create course","extensions":{"code":"FORBIDDEN"}}],"data":null}`}
		}
		fl := &fault{before: true, status: 429, header: map[string]string{"Content-Type": "application/json", "Retry-After": "0"},
			body: `{"errors":[{"message":"rate limited","extensions":{"code":"RATE_LIMITED","retryable":true}}]}`}
		return fl
	})
	cw.open(cwTok)
	cw.view("citizens")
	cw.eval(`location.hash = '#/citizen/` + citizen + `'; ''`)
	cw.view("citizen")
	cw.click(`form[data-form=course] button[type=submit]`)
	cw.poll(`document.querySelector('form[data-form=course] [data-error-code=FORBIDDEN]')`)
	if n := len(f.sent(t)); n != 1 {
		t.Errorf("a FORBIDDEN answer was followed by %d attempts, want none", n-1)
	}
	attempts, err := strconv.Atoi(cw.poll(`import('/lib/api.js').then((m) => String(m.ATTEMPTS))`))
	if err != nil || attempts < 2 {
		t.Fatalf("ATTEMPTS is %d (%v); the app should try a retryable answer more than once", attempts, err)
	}
	cw.click(`form[data-form=course] button[type=submit]`)
	msg := cw.poll(`document.querySelector('form[data-form=course] [data-error-code=RATE_LIMITED]')?.innerText`)
	if n := len(f.sent(t)); n != 1+attempts {
		t.Errorf("a RATE_LIMITED answer that does not clear was sent %d times, want %d", n-1, attempts)
	}
	if !strings.Contains(msg, "For mange forespørgsler") {
		t.Errorf("the app says %q after giving up", msg)
	}
	cw.clean()
}

// citizensNamed lists the ids of the caller's citizens with the alias.
func citizensNamed(h *hub, token, alias string) []string {
	var ids []string
	d := h.must(token, `query($a: String) { citizens(first: 100, filter: {aliasPrefix: $a}) { edges { node { id alias } } } }`, map[string]any{"a": alias})
	for _, e := range get(d, "citizens", "edges").([]any) {
		if get(e, "node", "alias") == alias {
			ids = append(ids, get(e, "node", "id").(string))
		}
	}
	return ids
}
