package gqlhttptest

import (
	"bufio"
	"bytes"
	"io"
	"sync"
)

// readLines sends each line r prints to out, and closes out at the end.
func readLines(r io.Reader, out chan<- string) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		out <- s.Text()
	}
	close(out)
}

// lockedBuffer is a child's stderr: written by exec's copying goroutine
// while the test may read it to report a failure.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
