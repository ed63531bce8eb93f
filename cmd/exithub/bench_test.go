package main

import (
	"testing"

	"exithub"
)

// BenchmarkInbox is the NGO inbox through the whole server (HTTP, JSON,
// GraphQL, policy, PostgreSQL), a page of 20 with organisations and
// history, for benchstat comparisons: go test ./cmd/exithub -run '^$' -bench Inbox -count 10.
func BenchmarkInbox(b *testing.B) {
	h := startHub(b, func(m *Main) { m.Config.RatePerSecond = 0 })
	tok := h.token("reden", exithub.RoleNGOWorker)
	q := `{ referrals(first: 20) { edges { node { id status from { code } to { code } history { to actor } } } } }`
	h.must(tok, q, nil)
	b.ReportAllocs()
	for b.Loop() {
		if r := h.do(tok, q, nil); len(r.Errors) != 0 {
			b.Fatal(string(r.raw))
		}
	}
}
