package policy

import (
	"testing"

	"exithub"
)

// BenchmarkScope is what a request pays: one lookup in the decided table.
func BenchmarkScope(b *testing.B) {
	p := mustNew(b)
	pr := &exithub.Principal{Role: exithub.RoleNGOWorker, Org: exithub.Organisation{Kind: exithub.KindNGO}}
	for b.Loop() {
		p.Scope(pr, exithub.ResReferral, exithub.ActRead)
	}
}

// BenchmarkDecideUncached is what a question costs Casbin, at worst: a
// denial, so that every line is tried. It is paid once per question, at
// load.
func BenchmarkDecideUncached(b *testing.B) {
	c, err := newCasbinDecider(source{"model.conf", modelText}, source{"policy.csv", policyText})
	if err != nil {
		b.Fatal(err)
	}
	k := key{exithub.RoleNGOWorker, exithub.KindNGO, exithub.ResReferral, exithub.ActCreate}
	for b.Loop() {
		if d, err := c.decide(k); err != nil || d.Scope != exithub.ScopeNone {
			b.Fatal(d, err)
		}
	}
}

// BenchmarkNew is what loading the embedded policy costs: every question
// asked once.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(); err != nil {
			b.Fatal(err)
		}
	}
}
