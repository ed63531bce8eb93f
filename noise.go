package exithub

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Epsilon is a privacy-loss parameter as an exact fraction Num/Den, so that
// the noise is sampled without floating point.
type Epsilon struct {
	Num, Den int64
}

// String writes ε as a fraction.
func (e Epsilon) String() string { return fmt.Sprintf("%d/%d", e.Num, e.Den) }

// Valid reports whether ε is a positive fraction.
func (e Epsilon) Valid() bool { return e.Num > 0 && e.Den > 0 }

// DiscreteLaplace draws from the discrete Laplace (two-sided geometric)
// distribution with P(x) ∝ exp(−|x|·Num/(Den·sensitivity)): ε-differential
// privacy for a count whose sensitivity (the most one person can change
// it, summed over a table's cells) is sensitivity. Algorithm 2 of Canonne,
// Kamath and Steinke, "The Discrete Gaussian for Differential Privacy"
// (2020), with scale t/s where s = Num and t = Den·sensitivity: only
// integer comparisons of uniform draws from rnd.
func DiscreteLaplace(rnd io.Reader, eps Epsilon, sensitivity int) (int, error) {
	if !eps.Valid() || sensitivity < 1 {
		return 0, fmt.Errorf("discrete Laplace: ε %s and sensitivity %d", eps, sensitivity)
	}
	s, t := eps.Num, eps.Den*int64(sensitivity)
	for {
		u, err := uniform(rnd, t)
		if err != nil {
			return 0, err
		}
		d, err := bernoulliExp(rnd, u, t)
		if err != nil {
			return 0, err
		}
		if !d {
			continue
		}
		v := int64(0)
		for {
			a, err := bernoulliExp(rnd, 1, 1)
			if err != nil {
				return 0, err
			}
			if !a {
				break
			}
			v++
		}
		y := (u + t*v) / s
		b, err := uniform(rnd, 2)
		if err != nil {
			return 0, err
		}
		if b == 1 && y == 0 {
			continue
		}
		return int((1 - 2*b) * y), nil
	}
}

// uniform draws an integer in [0, n), n > 0, exactly: eight bytes as an
// unsigned integer, drawn again when they fall in the last, partial run
// of n values.
func uniform(rnd io.Reader, n int64) (int64, error) {
	var b [8]byte
	limit := math.MaxUint64 - math.MaxUint64%uint64(n) // a multiple of n
	for {
		if _, err := io.ReadFull(rnd, b[:]); err != nil {
			return 0, fmt.Errorf("noise: reading randomness: %w", err)
		}
		if v := binary.LittleEndian.Uint64(b[:]); v < limit {
			return int64(v % uint64(n)), nil
		}
	}
}

// bernoulli is true with probability num/den (0 ≤ num ≤ den).
func bernoulli(rnd io.Reader, num, den int64) (bool, error) {
	u, err := uniform(rnd, den)
	return u < num, err
}

// bernoulliExp is true with probability exp(−num/den), num ≥ 0 (Algorithm 1
// of Canonne, Kamath and Steinke): for γ ≤ 1, count the successes of
// Bernoulli(γ/k), k = 1, 2, … and answer whether the first failure came at
// an odd k; for γ > 1, one exp(−1) trial per whole unit, then the rest.
func bernoulliExp(rnd io.Reader, num, den int64) (bool, error) {
	for ; num > den; num -= den {
		ok, err := bernoulliExp(rnd, 1, 1)
		if err != nil || !ok {
			return false, err
		}
	}
	k := int64(1)
	for {
		a, err := bernoulli(rnd, num, den*k)
		if err != nil {
			return false, err
		}
		if !a {
			return k%2 == 1, nil
		}
		k++
	}
}
