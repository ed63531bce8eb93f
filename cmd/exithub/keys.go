package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"exithub/auth"
)

const keysUsage = "usage: exithub keys rotate | keys list | keys retire KID"

// runKeys manages the local key directory: rotate makes a new signing key,
// list shows the trusted ones, retire removes one that no longer signs.
func runKeys(_ context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 {
		return errors.New(keysUsage)
	}
	k, err := auth.OpenKeyDir(keysDir())
	if err != nil {
		return err
	}
	switch {
	case args[0] == "rotate" && len(args) == 1:
		kid, err := k.Rotate()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new signing key %s; older public keys stay trusted until retired\n", kid)
		return nil
	case args[0] == "list" && len(args) == 1:
		return listKeys(k, stdout)
	case args[0] == "retire" && len(args) == 2:
		return retireKey(k, args[1], stdout)
	}
	return errors.New(keysUsage)
}

// listKeys prints each trusted key id, marking the one that signs.
func listKeys(k *auth.KeyDir, stdout io.Writer) error {
	kids, cur, err := keyIDs(k)
	if err != nil {
		return err
	}
	for _, kid := range kids {
		if kid == cur {
			fmt.Fprintf(stdout, "%s\tcurrent (signs new tokens)\n", kid)
			continue
		}
		fmt.Fprintf(stdout, "%s\ttrusted\n", kid)
	}
	return nil
}

func retireKey(k *auth.KeyDir, kid string, stdout io.Writer) error {
	kids, cur, err := keyIDs(k)
	if err != nil {
		return err
	}
	if kid == cur {
		return fmt.Errorf("%s is the current signing key; run exithub keys rotate first", kid)
	}
	if !slices.Contains(kids, kid) {
		others := slices.DeleteFunc(slices.Clone(kids), func(s string) bool { return s == cur })
		if len(others) == 0 {
			return fmt.Errorf("no key %s; only the current key %s is trusted, and it cannot be retired", kid, cur)
		}
		return fmt.Errorf("no key %s; the keys that can be retired are %s", kid, strings.Join(others, ", "))
	}
	if err := k.Retire(kid); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	fmt.Fprintf(stdout, "retired %s: tokens it signed are refused once servers re-read the keys (within a minute)\n", kid)
	return nil
}

func keyIDs(k *auth.KeyDir) (kids []string, current string, err error) {
	if kids, err = k.KIDs(); err != nil {
		return nil, "", err
	}
	current, err = k.CurrentKID()
	return kids, current, err
}
