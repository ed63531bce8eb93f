package db

import (
	"encoding/base64"
	"strings"
	"time"

	"exithub"
)

// A keyset cursor is the (created_at, id) of the last row seen; opaque to
// clients, so that the order key may change without breaking them.
func encodeCursor(t time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(t.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeCursor(s string) (time.Time, string, error) {
	bad := exithub.Invalid("after", "not a cursor this server gave out")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 200 {
		return time.Time{}, "", bad
	}
	ts, id, ok := strings.Cut(string(b), "|")
	if !ok || !isUUID(id) {
		return time.Time{}, "", bad
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return time.Time{}, "", bad
	}
	return t, id, nil
}

// keyset returns the SQL arguments of a keyset page: a cursor far in the
// future when there is none, so one query text serves every page.
func keyset(p exithub.Page) (time.Time, string, error) {
	if err := exithub.ValidatePage(p); err != nil {
		return time.Time{}, "", err
	}
	if p.After == "" {
		return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), "ffffffff-ffff-ffff-ffff-ffffffffffff", nil
	}
	return decodeCursor(p.After)
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'):
			return false
		}
	}
	return true
}

// pageOf trims the one extra row a page query fetches to learn whether there
// is a next page, and builds the cursors.
func pageOf[T any](rows []T, first int, key func(T) (time.Time, string)) ([]T, exithub.PageInfo) {
	var info exithub.PageInfo
	if len(rows) > first {
		rows, info.HasNextPage = rows[:first], true
	}
	for _, r := range rows {
		info.Cursors = append(info.Cursors, encodeCursor(key(r)))
	}
	if n := len(info.Cursors); n > 0 {
		info.EndCursor = info.Cursors[n-1]
	}
	return rows, info
}
