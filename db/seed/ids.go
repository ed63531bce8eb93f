package seed

import "github.com/google/uuid"

// namespace makes the demo's ids: the same name gives the same id on every
// run, which is what makes loading the demo twice change nothing.
var namespace = uuid.MustParse("6f1c4a52-7c1e-4a0e-9d8c-0e1f2a3b4c5d")

func id(kind, name string) string { return uuid.NewSHA1(namespace, []byte(kind+"/"+name)).String() }
