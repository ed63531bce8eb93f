// Package relay holds the Relay conventions of the schema: the Node
// interface and global ids, which name their type so that Query.node can
// dispatch on them.
package relay

import (
	"encoding/base64"
	"strings"
	"unsafe"
)

// Node is any object with a global id. The domain's types satisfy it as
// they are; the type switch in Query.node decides which are nodes.
type Node any

// ID encodes a global id: the type name and the row's id, opaque to clients.
// It allocates once, for the id itself: a list encodes one per row.
func ID(typ, id string) string {
	var small [96]byte
	src := small[:0]
	if n := len(typ) + 1 + len(id); n > len(small) {
		src = make([]byte, 0, n)
	}
	src = append(append(append(src, typ...), ':'), id...)
	dst := make([]byte, base64.RawURLEncoding.EncodedLen(len(src)))
	base64.RawURLEncoding.Encode(dst, src)
	return unsafe.String(unsafe.SliceData(dst), len(dst)) // dst is never written again
}

// Parse decodes a global id into its type name and row id. A malformed id
// is reported as not ok, never as an error naming what was wrong: an id that
// does not parse is treated like one that does not exist.
func Parse(gid string) (typ, id string, ok bool) {
	if len(gid) > 200 {
		return "", "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(gid)
	if err != nil {
		return "", "", false
	}
	typ, id, ok = strings.Cut(string(b), ":")
	return typ, id, ok && typ != "" && id != ""
}

// IDOf decodes a global id that must be of type typ; otherwise it returns "",
// which no row has.
func IDOf(typ, gid string) string {
	t, id, ok := Parse(gid)
	if !ok || t != typ {
		return ""
	}
	return id
}
