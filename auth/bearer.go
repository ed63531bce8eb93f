package auth

import "strings"

// maxTokenSize caps what is parsed at all: a real token is well under 2 KiB,
// so anything larger is refused before it costs base64 and JSON decoding.
const maxTokenSize = 8 << 10

// ParseBearer returns the token of an Authorization header value of the
// form "Bearer <token>". The scheme is case-insensitive (RFC 9110); the token
// must be token68 characters. Anything else is UNAUTHENTICATED.
func ParseBearer(header string) (string, error) {
	header = strings.TrimSpace(header)
	if header == "" {
		return "", refuse(msgMissing)
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", refuse(msgMalformedHdr)
	}
	token = strings.TrimLeft(token, " ")
	if len(token) > maxTokenSize {
		return "", refuse(msgTooLarge)
	}
	if !isToken68(token) {
		return "", refuse(msgMalformedHdr)
	}
	return token, nil
}

// isToken68 reports whether s is a non-empty token68 (RFC 9110 §11.2):
// letters, digits and -._~+/ followed by optional '=' padding.
func isToken68(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		if !isToken68Char(body[i]) {
			return false
		}
	}
	return true
}

// isToken68Char reports whether c may appear in a token68 before padding.
func isToken68Char(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}
