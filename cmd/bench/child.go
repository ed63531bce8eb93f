package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// child is a server process the harness started: the hub, the plain-HTTP
// baseline or PgBouncer. It dies with the harness (Pdeathsig), so an
// interrupted run leaves no servers behind.
type child struct {
	name   string
	cmd    *exec.Cmd
	log    string
	exited chan struct{}
}

// startChild starts cmd with its output in the file log.
func startChild(name string, cmd *exec.Cmd, log string) (*child, error) {
	out, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = out, out
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &child{name: name, cmd: cmd, log: log, exited: make(chan struct{})}
	go func() { cmd.Wait(); out.Close(); close(c.exited) }()
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// stop asks the process to finish what it is doing, and kills it if it
// takes longer than ten seconds.
func (c *child) stop() {
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-c.exited
	}
}

// waitReady polls until ready reports true, failing early with the end of
// the log when the process exits.
func (c *child) waitReady(timeout time.Duration, ready func() bool) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-c.exited:
			return fmt.Errorf("%s exited at start:\n%s", c.name, c.logTail())
		default:
		}
		if ready() {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.stop()
	return fmt.Errorf("%s not ready after %s:\n%s", c.name, timeout, c.logTail())
}

// logTail is the last lines of the process's output, for error messages.
func (c *child) logTail() string {
	b, _ := os.ReadFile(c.log) // for an error message: an unreadable log shows nothing
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// httpOK reports whether GET url answers 200.
func httpOK(url string) func() bool {
	return func() bool {
		resp, err := scrapeClient.Get(url)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
}

// listening reports whether something accepts TCP connections at addr.
func listening(addr string) func() bool {
	return func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err == nil
	}
}

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
