package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestTuneGCDefaultsUnlessTheEnvironmentSays(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC()
	if p := debug.SetGCPercent(100); p != gcPercent {
		t.Errorf("GC percent %d, want %d", p, gcPercent)
	}
	if l := debug.SetMemoryLimit(math.MaxInt64); l != memoryLimit {
		t.Errorf("memory limit %d, want %d", l, memoryLimit)
	}

	t.Setenv("GOGC", "77")
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetGCPercent(77)
	tuneGC()
	if p := debug.SetGCPercent(100); p != 77 {
		t.Errorf("GOGC=77 was overridden: %d", p)
	}
	if l := debug.SetMemoryLimit(math.MaxInt64); l != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT was overridden: %d", l)
	}
}
