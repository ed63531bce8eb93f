package exithub

import (
	"slices"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// TestPageFollowsRelay: the connection arguments as the Relay Cursor
// Connections specification reads them, and the page info either way.
func TestPageFollowsRelay(t *testing.T) {
	for _, c := range []struct {
		name          string
		first, last   *int
		after, before *string
		want          Page
		field         string
	}{
		{name: "default", want: Page{Size: DefaultPageSize}},
		{name: "first 0", first: ptr(0), want: Page{}},
		{name: "last", last: ptr(3), before: ptr("c"), want: Page{Size: 3, Before: "c", Backward: true}},
		{name: "both", first: ptr(1), last: ptr(1), field: "last"},
		{name: "empty after", after: ptr(""), field: "after"},
		{name: "empty before", before: ptr(""), field: "before"},
		{name: "last too big", last: ptr(MaxPageSize + 1), field: "last"},
		{name: "first negative", first: ptr(-1), field: "first"},
	} {
		p, err := NewPage(c.first, c.last, c.after, c.before)
		if ErrorField(err) != c.field || err == nil && p != c.want {
			t.Errorf("%s: %+v, %v", c.name, p, err)
		}
	}
	back := Page{Size: 2, Backward: true}
	rows, more := Trim(back, []int{5, 4, 3}) // read oldest first, one extra
	info := back.Info([]string{"a", "b"}, more)
	if !slices.Equal(rows, []int{4, 5}) || !info.HasPreviousPage || info.HasNextPage || *info.StartCursor != "a" || *info.EndCursor != "b" {
		t.Fatalf("backward: %v %+v", rows, info)
	}
	if info := (Page{Size: 0}).Info(nil, true); info.StartCursor != nil || info.EndCursor != nil || !info.HasNextPage {
		t.Fatalf("an empty page: %+v", info)
	}
}
