package auth

import (
	"os"
	"slices"
	"strings"
)

// KIDs lists the ids of the key pairs in the directory (every *.pub, which
// a Verifier trusts), sorted.
func (k *KeyDir) KIDs() ([]string, error) {
	entries, err := os.ReadDir(k.dir)
	if err != nil {
		return nil, err
	}
	var kids []string
	for _, e := range entries {
		if kid, ok := strings.CutSuffix(e.Name(), ".pub"); ok && !e.IsDir() {
			kids = append(kids, kid)
		}
	}
	slices.Sort(kids)
	return kids, nil
}
