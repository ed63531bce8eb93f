package pgtest_test

import (
	"os"
	"testing"
	"time"
)

func TestZZSleep(t *testing.T) {
	if os.Getenv("ZZ_SLEEP") == "" {
		t.Skip()
	}
	if os.Getenv("ZZ_SLEEP") == "panic" {
		panic("boom")
	}
	time.Sleep(time.Minute)
}
