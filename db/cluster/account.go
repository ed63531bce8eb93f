package cluster

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// account is an OS user that PostgreSQL runs as.
type account struct {
	uid, gid int
	groups   []int // supplementary group ids, for permission checks
}

// serverAccount returns the account PostgreSQL must run as: nil (this
// process's own user) unless we are root, because PostgreSQL refuses to run
// as root and so must run as the conventional user postgres.
func serverAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	return lookupAccount("postgres")
}

// lookupAccount finds an OS user's ids.
func lookupAccount(name string) (*account, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("cluster: running as root needs the OS user %q (install the postgresql package): %w", name, err)
	}
	// A failed parse must not leave 0, which is root's id.
	a := &account{}
	if a.uid, err = strconv.Atoi(u.Uid); err != nil {
		return nil, fmt.Errorf("cluster: OS user %q: uid: %w", name, err)
	}
	if a.gid, err = strconv.Atoi(u.Gid); err != nil {
		return nil, fmt.Errorf("cluster: OS user %q: gid: %w", name, err)
	}
	gids, err := u.GroupIds()
	if err != nil {
		return nil, fmt.Errorf("cluster: OS user %q: groups: %w", name, err)
	}
	for _, g := range gids {
		id, err := strconv.Atoi(g)
		if err != nil {
			return nil, fmt.Errorf("cluster: OS user %q: group: %w", name, err)
		}
		a.groups = append(a.groups, id)
	}
	return a, nil
}

// command prepares a program to run as a. A nil a runs it as ourselves.
// Switching credentials in the child (rather than via runuser) avoids a
// PAM session per call and needs no extra tool.
func (a *account) command(ctx context.Context, program string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, program, args...)
	a.setCredential(cmd)
	return cmd
}

// setCredential makes cmd run as a. It also starts cmd in "/" because the
// current directory may be one the postgres user cannot enter, and
// PostgreSQL's programs complain when they cannot resolve it.
func (a *account) setCredential(cmd *exec.Cmd) {
	cmd.Dir = "/"
	if a == nil {
		return
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Credential = &syscall.Credential{
		Uid: uint32(a.uid), Gid: uint32(a.gid), Groups: a.groupsU32(),
	}
}

func (a *account) groupsU32() []uint32 {
	out := make([]uint32, 0, len(a.groups))
	for _, g := range a.groups {
		out = append(out, uint32(g))
	}
	return out
}

// chown hands path and everything below it to a, so that a server running
// as a can use files that root created. A nil a leaves files alone.
func (a *account) chown(path string) error {
	if a == nil {
		return nil
	}
	return filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, a.uid, a.gid)
	})
}

// inGroup reports whether gid is one of a's groups.
func (a *account) inGroup(gid int) bool {
	if gid == a.gid {
		return true
	}
	for _, g := range a.groups {
		if g == gid {
			return true
		}
	}
	return false
}
