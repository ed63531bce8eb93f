package main

import (
	"io"
	"log/slog"
	"reflect"
	"testing"

	"exithub/db"
)

// Every part of the server's backend, and every service the resolvers may
// call, is wired: one left out would only show as a nil dereference on the
// first request that needs it.
func TestWiringLeavesNothingNil(t *testing.T) {
	l := db.NewListener("", slog.New(slog.NewTextHandler(io.Discard, nil)))
	checkWired(t, "server.Backend", reflect.ValueOf(backend(&db.DB{}, l)))
}

func checkWired(t *testing.T, name string, v reflect.Value) {
	t.Helper()
	for i := range v.NumField() {
		f, field := v.Field(i), name+"."+v.Type().Field(i).Name
		if f.Kind() == reflect.Struct {
			checkWired(t, field, f)
		} else if f.IsNil() {
			t.Errorf("%s is not wired", field)
		}
	}
}
