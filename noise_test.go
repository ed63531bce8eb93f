package exithub_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"exithub"
)

// seeded is a reproducible stream of random bytes for the samplers.
func seeded(seed byte) *rand.ChaCha8 { return rand.NewChaCha8([32]byte{seed, 14}) }

// The sampler draws exactly the discrete Laplace distribution: a
// chi-square goodness-of-fit test of 100,000 draws against its mass
// function P(z) = (1−e^{−ε})/(1+e^{−ε})·e^{−ε|z|}, over the values −6…6 and
// the two tails (15 bins, 14 degrees of freedom; critical value 36.12 at
// significance 0.001).
func TestDiscreteLaplaceHasItsDistribution(t *testing.T) {
	const draws = 100_000
	for _, c := range []struct {
		eps         exithub.Epsilon
		sensitivity int
	}{{exithub.Epsilon{Num: 1, Den: 1}, 1}, {exithub.Epsilon{Num: 1, Den: 1}, 2}, {exithub.Epsilon{Num: 3, Den: 2}, 1}} {
		rnd := seeded(1)
		counts := map[int]int{}
		for range draws {
			z, err := exithub.DiscreteLaplace(rnd, c.eps, c.sensitivity)
			if err != nil {
				t.Fatal(err)
			}
			counts[max(-7, min(7, z))]++
		}
		e := float64(c.eps.Num) / float64(c.eps.Den) / float64(c.sensitivity)
		pmf := func(z int) float64 {
			return (1 - math.Exp(-e)) / (1 + math.Exp(-e)) * math.Exp(-e*math.Abs(float64(z)))
		}
		tail := math.Exp(-7*e) / (1 + math.Exp(-e)) // P(Z ≥ 7)
		chi := 0.0
		for z := -7; z <= 7; z++ {
			p := pmf(z)
			if z == -7 || z == 7 {
				p = tail
			}
			d := float64(counts[z]) - draws*p
			chi += d * d / (draws * p)
		}
		if chi > 36.12 {
			t.Errorf("ε %s, sensitivity %d: chi-square %.1f > 36.12: the draws are not discrete Laplace (%v)", c.eps, c.sensitivity, chi, counts)
		}
	}
}

// For two neighbouring inputs (one person more: a persons cell of 10 and
// 11; K records more: a record cell of 10 and 10+K), the published cell's
// distribution respects the e^ε likelihood-ratio bound. For each published
// outcome o (a value, or under threshold) seen m ≥ 200 times over both
// inputs, the number of times it came from the first input is
// Binomial(m, q) with q = P₁(o)/(P₁(o)+P₂(o)); ε-DP means e^{−ε} ≤ P₁/P₂ ≤
// e^ε, so q ≤ e^ε/(1+e^ε) and 1−q ≤ the same. One-sided binomial tests
// (normal approximation) at z = 4.5 for each outcome and direction
// (significance 3.4e-6 each; about 40 tests: family-wise under 1.5e-4).
// With 200,000 draws per input, a mechanism at 1.3ε fails the test.
func TestReleaseCellRespectsTheLikelihoodRatioBound(t *testing.T) {
	p := exithub.DefaultPrivacy
	eps := float64(p.Epsilon.Num) / float64(p.Epsilon.Den)
	qMax := math.Exp(eps) / (1 + math.Exp(eps))
	for _, c := range []struct {
		table exithub.TableID
		n, m  int
	}{{exithub.TablePersons, 10, 11}, {exithub.TableReferralStatus, 10, 10 + p.K}, {exithub.TablePersons, 4, 5}} {
		const draws = 200_000
		seen := [2]map[int]int{{}, {}}
		rnd := seeded(2)
		for i, n := range []int{c.n, c.m} {
			for range draws {
				cell, err := p.NoisyCell(n, c.table, rnd)
				if err != nil {
					t.Fatal(err)
				}
				o := -1 // under threshold
				if cell.Value != nil {
					o = *cell.Value
				}
				seen[i][o]++
			}
		}
		tested := 0
		for o, a := range seen[0] {
			m := float64(a + seen[1][o])
			if m < 200 {
				continue
			}
			tested++
			for _, k := range []float64{float64(a), m - float64(a)} {
				if z := (k - m*qMax) / math.Sqrt(m*qMax*(1-qMax)); z > 4.5 {
					t.Errorf("%s %d vs %d: outcome %d seen %d and %d times: likelihood ratio beyond e^ε (z = %.1f)",
						c.table, c.n, c.m, o, a, seen[1][o], z)
				}
			}
		}
		if tested < 8 {
			t.Fatalf("only %d outcomes seen often enough to test", tested)
		}
	}
}
