package cluster

import (
	"bytes"
	"io"
	"os"
)

// tail returns at most n last lines of b, for error messages that should
// show what went wrong without flooding the terminal.
func tail(b []byte, n int) string {
	b = bytes.TrimRight(b, "\n")
	lines := bytes.Split(b, []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// logTail returns the last lines of a server log, or "" when unreadable.
func logTail(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	const maxBytes = 8 << 10
	// Best effort, for an error message: without the seek the whole log is
	// read and tail still keeps its end; a failed read keeps what it got.
	if fi, err := f.Stat(); err == nil && fi.Size() > maxBytes {
		_, _ = f.Seek(-maxBytes, io.SeekEnd)
	}
	b, _ := io.ReadAll(f)
	return tail(b, 20)
}

// withLog appends the server log's tail to err, since the log is usually the
// only place that says why a server did not start.
func withLog(err error, logFile string) error {
	t := logTail(logFile)
	if t == "" {
		return err
	}
	return &logError{err: err, log: t}
}

// logError is an error carrying the server log's tail.
type logError struct {
	err error
	log string
}

func (e *logError) Error() string { return e.err.Error() + "\nserver log tail:\n" + e.log }
func (e *logError) Unwrap() error { return e.err }
