package server

import (
	"io"
	"log/slog"
	"reflect"
	"testing"

	"exithub/db"
)

// Every service the resolvers may call is wired: a service left out would
// only show as a nil dereference on the first request that needs it.
func TestEveryServiceIsWired(t *testing.T) {
	l := db.NewListener("", slog.New(slog.NewTextHandler(io.Discard, nil)))
	s := reflect.ValueOf(services(&db.DB{}, l))
	for i := range s.NumField() {
		if s.Field(i).IsNil() {
			t.Errorf("graph.Services.%s is not wired", s.Type().Field(i).Name)
		}
	}
}
