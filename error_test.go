package exithub

import (
	"errors"
	"testing"
)

// ErrorCode and ErrorMessage answer each kind of error; no error costs no
// allocation, since every field a directive guards asks for its code.
func TestErrorCodeAndMessage(t *testing.T) {
	app := Errorf(EFORBIDDEN, "not yours")
	for _, c := range []struct {
		err           error
		code, message string
	}{
		{nil, "", ""},
		{app, EFORBIDDEN, "not yours"},
		{errors.Join(errors.New("context"), app), EFORBIDDEN, "not yours"},
		{errors.New("disk on fire"), EINTERNAL, "internal error"},
	} {
		if code, msg := ErrorCode(c.err), ErrorMessage(c.err); code != c.code || msg != c.message {
			t.Errorf("%v: code %q message %q, want %q %q", c.err, code, msg, c.code, c.message)
		}
	}
	if n := testing.AllocsPerRun(100, func() { ErrorCode(nil); ErrorMessage(nil) }); n != 0 {
		t.Fatalf("no error costs %v allocations", n)
	}
}
