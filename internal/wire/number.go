package wire

// Numbers compared by their value: a JSON number is a decimal, so 1.5,
// 1.50 and 15e-1 are one value, as a client means them; comparing the
// digits sent would report a change where there is none.

import (
	"strconv"
	"strings"
)

// SameNumber reports whether two valid JSON numbers have the same decimal
// value, exactly: no rounding through float64, so two numbers a float64
// cannot tell apart still differ. -0 and 0 are the same.
func SameNumber(a, b string) bool {
	if a == b {
		return true
	}
	an, ad, ae, aok := decimal(a)
	bn, bd, be, bok := decimal(b)
	if !aok || !bok {
		return false
	}
	if ad == "" || bd == "" {
		return ad == bd // zero, whatever its sign and exponent
	}
	return an == bn && ad == bd && ae == be
}

// decimal splits a JSON number into its sign, its significant digits
// (no leading or trailing zeros) and the power of ten they are scaled
// by. It reports false for an exponent too large to hold, which a number
// a float64 can hold never has.
func decimal(s string) (neg bool, digits string, exp int, ok bool) {
	neg = strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, e, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		n, err := strconv.Atoi(strings.TrimPrefix(e, "+"))
		if err != nil || n > 1<<30 || n < -(1<<30) {
			return false, "", 0, false
		}
		exp = n
	}
	whole, frac, _ := strings.Cut(mant, ".")
	digits = strings.TrimLeft(whole+frac, "0")
	exp -= len(frac)
	trimmed := strings.TrimRight(digits, "0")
	exp += len(digits) - len(trimmed)
	return neg, trimmed, exp, true
}
