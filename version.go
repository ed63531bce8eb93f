package exithub

import "fmt"

// CheckVersion is optimistic concurrency: a write that names the version it
// last saw (expected) proceeds only while what is stored is still at it;
// otherwise it is CONFLICT and the client reads again. No expected version:
// the write proceeds.
func CheckVersion(what string, current int, expected *int) error {
	if expected != nil && *expected != current {
		return &Error{Code: ECONFLICT, Field: "expectedVersion",
			Message: fmt.Sprintf("the %s changed (version %d, expected %d); read it again", what, current, *expected)}
	}
	return nil
}
