package main

import (
	"io"
	"net"
	"sync"
	"testing"
)

// proxy forwards TCP connections to a server and plays a failing network:
// cut closes every connection it carries and refuses new ones until
// restore; freeze makes the connections it carries drop every byte without
// closing, as a connection that died unnoticed does, while new ones work.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
	frozen map[net.Conn]bool
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]bool{}, frozen: map[net.Conn]bool{}}
	go p.accept()
	t.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *proxy) forward(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(client, server) {
		client.Close()
		server.Close()
		return
	}
	// A copy ends with an error whenever cut closes its connection, which
	// is what the proxy is for: the errors are not the test's failures.
	go func() { io.Copy(p.writer(server), client); server.Close() }()
	io.Copy(p.writer(client), server)
	client.Close()
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	delete(p.frozen, client)
	delete(p.frozen, server)
	p.mu.Unlock()
}

// writer writes to c until freeze, then swallows what it is given.
func (p *proxy) writer(c net.Conn) io.Writer {
	return writerFunc(func(b []byte) (int, error) {
		p.mu.Lock()
		frozen := p.frozen[c]
		p.mu.Unlock()
		if frozen {
			return len(b), nil
		}
		return c.Write(b)
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// freeze makes every connection carried now go silent both ways.
func (p *proxy) freeze() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		p.frozen[c] = true
	}
}

// track registers a pair of connections, unless the proxy is down.
func (p *proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return false
	}
	for _, c := range conns {
		p.conns[c] = true
	}
	return true
}

// cut closes every connection and refuses new ones.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// restore forwards new connections again.
func (p *proxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}
