package main

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"exithub"
	"exithub/auth"
)

const meQuery = `{ me { sub role organisation { code kind } } }`

func TestMeAnswersWithAValidToken(t *testing.T) {
	h := startHub(t)
	d := h.must(h.token("101", exithub.RoleCaseworker), meQuery, nil)
	if get(d, "me", "role") != "caseworker" || get(d, "me", "organisation", "code") != "101" ||
		get(d, "me", "organisation", "kind") != "MUNICIPALITY" {
		t.Fatalf("me = %v", d)
	}
}

func TestBadTokensAreUnauthenticated(t *testing.T) {
	h := startHub(t)
	good := h.token("101", exithub.RoleCaseworker)
	parts := strings.Split(good, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	claims["org"] = "751"
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(mustJSON(t, claims)) + "." + parts[2]
	expired, err := h.keys.Mint(auth.Claims{Sub: "x", Org: "101", Role: exithub.RoleCaseworker}, -time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	unknownOrg := h.token("999", exithub.RoleCaseworker)
	wrongRole := h.token("reden", exithub.RoleCaseworker)
	cases := map[string]string{"none": "", "garbage": "abc.def.ghi", "tampered": tampered, "expired": expired,
		"unknown organisation": unknownOrg, "role the kind cannot hold": wrongRole}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			r := h.do(tok, meQuery, nil)
			if r.code() != exithub.EUNAUTHENTICATED || r.Status != 401 || r.Data != nil {
				t.Fatalf("got %d %s", r.Status, r.raw)
			}
		})
	}
}
