package auth

import (
	"strings"
	"testing"
)

func TestParseBearer(t *testing.T) {
	cases := []struct {
		name, header, token, refusal string
	}{
		{"plain", "Bearer abc.def.ghi", "abc.def.ghi", ""},
		{"scheme in lower case", "bearer abc", "abc", ""},
		{"scheme in upper case", "BEARER abc", "abc", ""},
		{"surrounding space", "  Bearer   abc  ", "abc", ""},
		{"token68 padding", "Bearer abc==", "abc==", ""},
		{"empty", "", "", msgMissing},
		{"blank", "   ", "", msgMissing},
		{"no token", "Bearer", "", msgMalformedHdr},
		{"no token after space", "Bearer ", "", msgMalformedHdr},
		{"other scheme", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "", msgMalformedHdr},
		{"token without scheme", "abc.def.ghi", "", msgMalformedHdr},
		{"two tokens", "Bearer abc def", "", msgMalformedHdr},
		{"tab inside", "Bearer abc\tdef", "", msgMalformedHdr},
		{"only padding", "Bearer ==", "", msgMalformedHdr},
		{"padding inside", "Bearer a=b", "", msgMalformedHdr},
		{"oversized", "Bearer " + strings.Repeat("a", maxTokenSize+1), "", msgTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := ParseBearer(tc.header)
			if tc.refusal != "" {
				wantRefused(t, err, tc.refusal)
				return
			}
			wantAccepted(t, err)
			if tok != tc.token {
				t.Fatalf("token = %q, want %q", tok, tc.token)
			}
		})
	}
}
