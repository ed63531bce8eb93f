package gqlhttp_test

import (
	"strings"
	"testing"
)

const (
	ctJSON = "application/json; charset=utf-8"
	ctGQL  = "application/graphql-response+json; charset=utf-8"
)

// dataWant is what a response's "data" entry must be.
type dataWant int

const (
	dataAny     dataWant = iota
	dataAbsent           // the request failed before execution
	dataPresent          // execution started, even if data is null
)

// want is what a response must look like. With neither code nor msg set,
// it must carry no errors.
type want struct {
	status int
	ct     string // Content-Type, exactly
	data   dataWant
	code   string // extensions.code of the first error
	msg    string // part of the first error's message
	allow  string // the Allow header
}

func check(t *testing.T, got reply, w want) {
	t.Helper()
	if got.status != w.status {
		t.Errorf("status %d, want %d: %s", got.status, w.status, got.raw)
	}
	if ct := got.header.Get("Content-Type"); ct != w.ct {
		t.Errorf("Content-Type %q, want %q", ct, w.ct)
	}
	if a := got.header.Get("Allow"); a != w.allow {
		t.Errorf("Allow %q, want %q", a, w.allow)
	}
	checkData(t, got, w.data)
	checkErrors(t, got, w)
}

func checkData(t *testing.T, got reply, w dataWant) {
	t.Helper()
	_, has := got.entries["data"]
	switch {
	case w == dataAbsent && has:
		t.Errorf("data present where the request failed before execution: %s", got.raw)
	case w == dataPresent && !has:
		t.Errorf("data absent after execution: %s", got.raw)
	}
}

func checkErrors(t *testing.T, got reply, w want) {
	t.Helper()
	if w.code == "" && w.msg == "" {
		if len(got.errors) > 0 {
			t.Errorf("unexpected errors: %s", got.raw)
		}
		return
	}
	if len(got.errors) == 0 {
		t.Fatalf("no errors: %s", got.raw)
	}
	e := got.errors[0]
	if w.code != "" && e.Extensions["code"] != w.code {
		t.Errorf("code %v, want %s: %s", e.Extensions["code"], w.code, got.raw)
	}
	if !strings.Contains(e.Message, w.msg) {
		t.Errorf("message %q does not say %q", e.Message, w.msg)
	}
	if e.Extensions["presented"] != true {
		t.Errorf("the error presenter did not run: %s", got.raw)
	}
}
