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

func decodeCursor(s, field string) (time.Time, string, error) {
	bad := exithub.Invalid(field, "not a cursor this server gave out")
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

// keysetBounds are a keyset page of a newest-first list: rows older than
// the after key and newer than the before key, each bound only when its
// cursor was given; order is the direction read, limit the page and one.
type keysetBounds struct {
	after    bool
	afterAt  time.Time
	afterID  string
	before   bool
	beforeAt time.Time
	beforeID string
	order    string // "DESC" for first/after, "ASC" for last/before
	limit    int
}

func keyset(p exithub.Page) (keysetBounds, error) {
	k := keysetBounds{after: p.After != "", before: p.Before != "", order: order(p), limit: p.Size + 1}
	var err error
	if k.after {
		if k.afterAt, k.afterID, err = decodeCursor(p.After, "after"); err != nil {
			return k, err
		}
	}
	if k.before {
		k.beforeAt, k.beforeID, err = decodeCursor(p.Before, "before")
	}
	return k, err
}

// order is the SQL direction a page is read in, newest first unless backward.
func order(p exithub.Page) string {
	if p.Backward {
		return "ASC"
	}
	return "DESC"
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

// pageOf trims the one extra row a page query fetches to learn whether
// there is more, puts the rows in the list's order and builds the cursors.
func pageOf[T any](rows []T, p exithub.Page, key func(T) (time.Time, string)) ([]T, exithub.PageInfo) {
	rows, more := exithub.Trim(p, rows)
	cursors := make([]string, len(rows))
	for i, r := range rows {
		cursors[i] = encodeCursor(key(r))
	}
	return rows, p.Info(cursors, more)
}
