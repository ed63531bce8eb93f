package exithub_test

import (
	"strings"
	"testing"

	"exithub"
)

// A reason or an outcome too long is refused on its own field.
func TestATransitionsLongTextIsRefusedOnItsField(t *testing.T) {
	long := strings.Repeat("ø", 2001)
	for field, tr := range map[string]exithub.Transition{
		"reason":  {Action: exithub.ActCancel, Reason: long},
		"outcome": {Action: exithub.ActComplete, Outcome: long},
	} {
		err := tr.Validate()
		var e *exithub.Error
		if exithub.ErrorCode(err) != exithub.EINVALID || !asError(err, &e) || e.Field != field {
			t.Errorf("%s of 2001 characters: %v; want BAD_USER_INPUT on %s", field, err, field)
		}
	}
}
