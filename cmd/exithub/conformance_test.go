package main

import (
	"strings"
	"testing"

	"exithub"
	"exithub/server/gqlhttp/gqlhttptest"
)

func TestGraphQLOverHTTPAudits(t *testing.T) {
	// The audits' variables checks query __type: introspection is on, and
	// everything else is as in production.
	h := startHub(t, func(m *Main) { m.Config.Introspection, m.Config.RatePerSecond = true, 0 })
	gqlhttptest.RunAudits(t, h.url+"/graphql", "Bearer "+h.token("101", exithub.RoleCaseworker))
}

func TestReferenceGraphQLWSClientGetsEvents(t *testing.T) {
	h := startHub(t)
	ws := "ws" + strings.TrimPrefix(h.url, "http") + "/graphql"
	wait := gqlhttptest.Subscribe(t, ws, "Bearer "+h.token("reden", exithub.RoleNGOWorker), eventsSubscription)
	f := newReferral(t, h, "reden")
	ev := wait()
	if !strings.Contains(ev, f.referral) || !strings.Contains(ev, `"CREATED"`) {
		t.Fatalf("graphql-ws got %s", ev)
	}
}
