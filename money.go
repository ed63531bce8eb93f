package exithub

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
)

// Money is an amount of Danish kroner in øre: exact integers, never floats.
// 46 mio DKK is 4,600,000,000 øre, more than a 32-bit integer holds.
type Money int64

// MaxMoney is the largest amount the hub accepts, in either sign: one
// billion kroner, far above any programme's frame, and far enough below
// the 64-bit limit that no sum of amounts the hub keeps can overflow.
const MaxMoney Money = 1_000_000_000 * 100

// Kroner returns whole kroner as Money.
func Kroner(k int64) Money { return Money(k * 100) }

// ParseMoney reads a decimal string of kroner with at most two decimals,
// such as "46000000.00" or "12.5"; it refuses anything else, including
// exponents, grouping and more than two decimals, rather than round.
func ParseMoney(s string) (Money, error) {
	bad := Invalid("Money", "a Money is a decimal string of kroner with at most two decimals, e.g. \"46000000.00\"")
	if len(s) == 0 || len(s) > 24 {
		return 0, bad
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || (hasFrac && (len(frac) == 0 || len(frac) > 2)) || !digits(whole) || !digits(frac) {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	var v int64
	for _, c := range whole + frac {
		d := int64(c - '0')
		if v > (math.MaxInt64-d)/10 {
			return 0, bad
		}
		v = v*10 + d
	}
	if Money(v) > MaxMoney {
		return 0, Invalid("Money", "an amount is at most %s kroner", MaxMoney)
	}
	if neg {
		v = -v
	}
	return Money(v), nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// String formats kroner with two decimals: "46000000.00".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign = "-"
		v = -v // MinInt64 cannot be parsed in, so this does not overflow
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Allocate splits total among weights by the largest-remainder method: each
// share is the floor of its exact quota, and the øre left over go one each to
// the largest remainders (ties to the earlier weight). The shares sum to
// total exactly.
func Allocate(total Money, weights []int64) ([]Money, error) {
	if total < 0 {
		return nil, Invalid("amount", "an amount to allocate cannot be negative")
	}
	var sum int64
	for _, w := range weights {
		if w < 0 {
			return nil, Invalid("weights", "weights cannot be negative")
		}
		sum += w
	}
	if sum == 0 {
		return nil, Invalid("weights", "nothing to allocate by: the weights sum to zero")
	}
	shares := make([]Money, len(weights))
	rems := make([]int64, len(weights))
	left := int64(total)
	for i, w := range weights {
		q, r := mulDiv(int64(total), w, sum)
		shares[i], rems[i] = Money(q), r
		left -= q
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rems {
			if rems[i] > rems[best] {
				best = i
			}
		}
		shares[best]++
		rems[best] = -1
	}
	return shares, nil
}

// mulDiv returns a*b/c and its remainder in 128-bit arithmetic, so no amount
// times a population overflows. b <= c, so the quotient fits in 64 bits.
func mulDiv(a, b, c int64) (int64, int64) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, r := bits.Div64(hi, lo, uint64(c))
	return int64(q), int64(r)
}
