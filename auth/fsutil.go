package auth

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// validName is what a file this package creates may be called: a plain name,
// so that a kid or secret name from a caller can never reach outside the
// key directory.
var validName = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$`)

// checkName returns an error unless name is a validName.
func checkName(what, name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("auth: invalid %s %q", what, name)
	}
	return nil
}

// writeTemp writes data to a new file in dir with mode perm and returns its
// path. The file is complete and synced before anyone can see it under its
// final name, so a reader never sees half a key.
func writeTemp(dir string, data []byte, perm fs.FileMode) (path string, err error) {
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	return f.Name(), f.Close()
}

// createFile writes a new file atomically and fails with fs.ErrExist if name
// already exists: a hard link, unlike a rename, never replaces. Two processes
// racing to create the same file thus agree on one winner.
func createFile(dir, name string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(dir, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, filepath.Join(dir, name)); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return err
	}
	return syncDir(dir)
}

// replaceFile writes a file atomically, replacing any file of that name.
func replaceFile(dir, name string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(dir, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

// syncDir makes a new directory entry durable: a secret lost in a crash
// would change every pseudonym made with it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
