package cluster

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// child is a server running as this process's child.
type child struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once the process has been reaped
	err    error         // the process's exit status; read after exited
}

// spawn starts postgres directly rather than through pg_ctl, so that the
// kernel stops it (SIGQUIT: immediate shutdown) when this process dies,
// even by SIGKILL; a killed test run then leaves only files behind.
func (c *Cluster) spawn() (*child, error) {
	logf, err := os.OpenFile(c.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	defer logf.Close()
	cmd := exec.Command(c.bin+"/postgres", "-D", c.DataDir, "-p", strconv.Itoa(c.Port))
	cmd.Stdout, cmd.Stderr = logf, logf
	c.runAs.setCredential(cmd)
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	// Own process group: a terminal's Ctrl-C reaches only us, and we decide
	// how the server stops.
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cluster: start postgres: %w", err)
	}
	ch := &child{cmd: cmd, exited: make(chan struct{})}
	go ch.reap()
	return ch, nil
}

// reap waits for the process so that it does not linger as a zombie, which
// would look alive to Running.
func (ch *child) reap() {
	ch.err = ch.cmd.Wait()
	close(ch.exited)
}
