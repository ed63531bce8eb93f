package gqlhttp

import (
	"net/http"
	"strconv"
	"strings"
)

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// negotiate picks the response media type from the Accept headers: the one
// the client ranks higher, by q as RFC 9110 reads it (the most specific
// matching range decides). application/graphql-response+json must be named
// to be chosen, and wins a tie, as the specification recommends; wildcards
// mean application/json, which older clients expect. No Accept header at
// all means application/json. It reports false when neither is acceptable.
func negotiate(accepts []string) (string, bool) {
	var ranges []mediaRange
	for _, h := range accepts {
		for _, part := range strings.Split(h, ",") {
			if r, ok := parseRange(part); ok {
				ranges = append(ranges, r)
			}
		}
	}
	if len(ranges) == 0 {
		return mediaJSON, true
	}
	gqlQ, named := quality(ranges, mediaGraphQLResponse, true)
	jsonQ, _ := quality(ranges, mediaJSON, false)
	switch {
	case named && gqlQ > 0 && gqlQ >= jsonQ:
		return mediaGraphQLResponse, true
	case jsonQ > 0:
		return mediaJSON, true
	}
	return "", false
}

// mediaRange is one entry of an Accept header.
type mediaRange struct {
	typ, sub string
	q        float64
}

// parseRange reads "type/subtype;params"; q defaults to 1 and a malformed q
// is read as 1 too, since the client did list the type.
func parseRange(s string) (mediaRange, bool) {
	fields := strings.Split(s, ";")
	typ, sub, ok := strings.Cut(strings.ToLower(strings.TrimSpace(fields[0])), "/")
	if !ok || typ == "" || sub == "" {
		return mediaRange{}, false
	}
	r := mediaRange{typ: strings.TrimSpace(typ), sub: strings.TrimSpace(sub), q: 1}
	for _, f := range fields[1:] {
		k, v, _ := strings.Cut(f, "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q >= 0 && q <= 1 {
				r.q = q
			}
		}
	}
	return r, true
}

// quality is the q the ranges give media, from the most specific range that
// matches it; exact reports whether a range named media itself. With
// exactOnly, wildcards do not count.
func quality(ranges []mediaRange, media string, exactOnly bool) (q float64, exact bool) {
	typ, sub, _ := strings.Cut(media, "/")
	best := -1 // specificity of the range q came from: 0 */*, 1 type/*, 2 exact
	for _, r := range ranges {
		spec := specificity(r, typ, sub)
		if spec < 0 || spec < best || (exactOnly && spec < 2) {
			continue
		}
		if spec > best {
			best, q = spec, r.q
		} else {
			q = max(q, r.q) // the same range listed twice: take the kinder
		}
	}
	return q, best == 2
}

// specificity tells how closely r matches typ/sub: -1 not at all.
func specificity(r mediaRange, typ, sub string) int {
	switch {
	case r.typ == typ && r.sub == sub:
		return 2
	case r.typ == typ && r.sub == "*":
		return 1
	case r.typ == "*" && r.sub == "*":
		return 0
	}
	return -1
}

// MediaType is the media type an answer to this request is written in when
// it is refused before GraphQL runs (401, 429): the one the Accept headers
// ask for, as for every other answer, and application/json when they allow
// neither, since a refusal must still be readable.
func MediaType(h http.Header) string {
	media, ok := negotiate(h.Values("Accept"))
	if !ok {
		return mediaJSON
	}
	return media
}
