// Package relay holds the Relay conventions of the schema: the Node
// interface and global ids, which name their type so that Query.node can
// dispatch on them.
package relay

import (
	"encoding/base64"
	"strings"
)

// Node is any object with a global id. The domain's types satisfy it as
// they are; the type switch in Query.node decides which are nodes.
type Node any

// ID encodes a global id: the type name and the row's id, opaque to clients.
func ID(typ, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + id))
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
