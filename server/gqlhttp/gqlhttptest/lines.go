package gqlhttptest

import (
	"bufio"
	"io"
)

func readLines(r io.Reader, out chan<- string) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		out <- s.Text()
	}
	close(out)
}
