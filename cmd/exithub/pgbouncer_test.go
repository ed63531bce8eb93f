package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"exithub"
	"exithub/db/pgbouncer"
	"exithub/db/pgtest"
)

// startPgBouncer runs Debian's PgBouncer in transaction-pooling mode in
// front of the test cluster, as operators run it in front of PostgreSQL.
func startPgBouncer(t *testing.T) string {
	t.Helper()
	bin, err := pgbouncer.Bin()
	if err != nil {
		t.Fatalf("%v (CI installs it)", err)
	}
	b, err := pgbouncer.Start(bin, "127.0.0.1", pgtest.Cluster().Port, pgtest.TempDir(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Stop)
	return strconv.Itoa(b.Port)
}

func TestReferralFlowAndSubscriptionThroughPgBouncer(t *testing.T) {
	port := startPgBouncer(t)
	h := startHub(t, func(m *Main) {
		direct := m.DatabaseURL
		m.ListenURL = direct
		m.DatabaseURL = strings.Replace(direct, fmt.Sprintf(":%d/", pgtest.Cluster().Port), ":"+port+"/", 1)
		m.ExecMode = "simple_protocol"
	})
	ngo := dialWS(t, h.url, h.token("reden", exithub.RoleNGOWorker))
	ngo.subscribe("1", eventsSubscription)
	waitForSubscribers(t, h, 1)
	f := newReferral(t, h, "reden")
	if m := ngo.read(10 * time.Second); get(m, "payload", "data", "referralEvents", "referral", "id") != f.referral {
		t.Fatalf("subscription through PgBouncer: %v", m)
	}
	for _, a := range []string{"receive", "accept", "start"} {
		if r := f.transition(f.ngo, a, nil); len(r.Errors) != 0 {
			t.Fatalf("%s through PgBouncer: %s", a, r.raw)
		}
	}
	if !strings.Contains(h.main.DB.Pool().Config().ConnString(), ":"+port+"/") {
		t.Fatal("the hub's pool did not go through PgBouncer")
	}
}

// waitForSubscribers waits until the hub listens for changes and feeds n
// subscriptions: a change made before then could not reach them.
func waitForSubscribers(t *testing.T, h *hub, n int) {
	t.Helper()
	select {
	case <-h.main.listener.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("the hub's listener never listened")
	}
	pollUntil(t, 30*time.Second, fmt.Sprintf("%d subscriptions", n), func() bool { return h.main.listener.Subscribers() >= n })
}
