package exithub

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"time"
)

// CPR is a validated Danish personal ID number, digits only. It is kept in
// memory only as long as it takes to pseudonymise it.
type CPR string

// ParseCPR validates a CPR number: 10 digits, optionally DDMMYY-SSSS, whose
// first six are a real date. There is no modulus-11 check: Denmark stopped
// guaranteeing it in 2007. The error never repeats the number.
func ParseCPR(s string) (CPR, error) {
	s = strings.TrimSpace(s)
	if len(s) == 11 && s[6] == '-' {
		s = s[:6] + s[7:]
	}
	if len(s) != 10 {
		return "", Invalid("cpr", "a CPR number has 10 digits (DDMMYY-SSSS)")
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return "", Invalid("cpr", "a CPR number has 10 digits (DDMMYY-SSSS)")
		}
	}
	if _, ok := cprBirthDate(s); !ok {
		return "", Invalid("cpr", "the first six digits of a CPR number are a date (DDMMYY)")
	}
	return CPR(s), nil
}

// cprBirthDate reads DDMMYY with the century from the 7th digit, as the CPR
// office assigns it.
func cprBirthDate(s string) (time.Time, bool) {
	d := atoi2(s[0:2])
	m := atoi2(s[2:4])
	y := atoi2(s[4:6])
	y += cprCentury(s[6], y)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d && int(t.Month()) == m && t.Year() == y
}

func cprCentury(digit7 byte, yy int) int {
	switch {
	case digit7 <= '3':
		return 1900
	case digit7 == '4' || digit7 == '9':
		if yy <= 36 {
			return 2000
		}
		return 1900
	default: // 5-8
		if yy <= 57 {
			return 2000
		}
		return 1800
	}
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// Pseudonym is the keyed hash (HMAC-SHA256) of a CPR number: the same person
// has the same pseudonym in every municipality, and without the hub's key the
// number cannot be recovered from it.
func Pseudonym(key []byte, c CPR) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(c))
	return m.Sum(nil)
}
