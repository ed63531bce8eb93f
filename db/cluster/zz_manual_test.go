package cluster

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestManualDev(t *testing.T) {
	dir := os.Getenv("MANUAL_CHECKOUT")
	if dir == "" {
		t.Skip()
	}
	c, err := EnsureDev(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(c.DataDir, c.Port, c.URL("exithub"), c.Running())
	if os.Getenv("MANUAL_REMOVE") != "" {
		fmt.Println(c.Remove())
	}
}
