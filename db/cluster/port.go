package cluster

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// freePort asks the kernel for a TCP port on 127.0.0.1 that is free right
// now. Another process may take it before the server binds it; callers
// retry with a new port when a start fails on a taken one.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("cluster: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// portFree reports whether port on 127.0.0.1 can be bound now.
func portFree(port int) bool {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// readPortFile returns the port remembered in path, or 0 if none is.
func readPortFile(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	port, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || port <= 0 || port > 65535 {
		return 0
	}
	return port
}

// writePortFile remembers port in path.
func writePortFile(path string, port int) error {
	if err := os.WriteFile(path, []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}
