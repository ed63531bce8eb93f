package main

import (
	"context"
	_ "embed"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, pinned in web/npm and copied by `make web-vendor`.
// The tests inject it into the page through the DevTools protocol; the app
// never serves it.
//
//go:embed testdata/axe.min.js
var axeSource string

// tab is one browser tab on the web app: a caseworker's and an NGO worker's
// run side by side in one browser, each with its own sessionStorage.
type tab struct {
	t      *testing.T
	ctx    context.Context
	name   string
	hubURL string
	pageErrors
}

// newTab opens a tab in b's browser; it closes when the test ends.
func newTab(t *testing.T, b *browser, h *hub, name string) *tab {
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, name: name, hubURL: h.url}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	tb.watch(t, ctx)
	return tb
}

// open loads /app with a token in the fragment (as `make run` prints it)
// and waits until a view is drawn.
func (tb *tab) open(token string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate("about:blank"), chromedp.Navigate(tb.hubURL+"/app#token="+token))
	tb.poll(`['ready', 'error', 'idle'].includes(document.documentElement.dataset.state) && document.documentElement.dataset.view`)
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", tb.name, err)
	}
}

func (tb *tab) eval(js string) string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, js, err)
	}
	return v
}

// poll waits until js is truthy and returns its value as a string.
func (tb *tab) poll(js string) string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Poll[any](js, chromedp.WithPollingTimeout(20*time.Second)))
	for tries := 0; err != nil && strings.Contains(err.Error(), "Cannot find context") && tries < 3; tries++ {
		// The page's JavaScript context was replaced under the poll (a
		// navigation just finished); poll again in the new one.
		v, err = chromedp.Run(tb.ctx, chromedp.Poll[any](js, chromedp.WithPollingTimeout(20*time.Second)))
	}
	if err != nil {
		tb.t.Fatalf("%s: waiting for %s: %v; the page shows: %s; thrown: %v", tb.name, js, err, tb.text("main"), tb.thrownNow())
	}
	if s, ok := v.(string); ok {
		return s
	}
	return string(mustJSON(tb.t, v))
}

// view waits until the app has drawn the named view and is ready.
func (tb *tab) view(name string) {
	tb.t.Helper()
	tb.poll(`document.documentElement.dataset.state === 'ready' && document.documentElement.dataset.view === '` + name + `'`)
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('`+sel+`')?.innerText ?? ''`))
	if err != nil {
		return err.Error()
	}
	return v
}

// click clicks an element in one step of the page's own thread: a view
// that live events redraw cannot swap the node between finding and clicking.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	if r := tb.eval(`(() => { const e = document.querySelector('` + sel + `'); if (!e) return 'missing'; e.click(); return 'ok' })()`); r != "ok" {
		tb.t.Fatalf("%s: nothing to click at %s; the page shows: %s", tb.name, sel, tb.text("main"))
	}
}

// fill sets a control's value as typing would, firing input and change.
func (tb *tab) fill(sel, value string) {
	tb.t.Helper()
	js := mustJSON(tb.t, value)
	if r := tb.eval(`(() => { const c = document.querySelector('` + sel + `'); if (!c) return 'missing';
		c.value = ` + string(js) + `; c.dispatchEvent(new Event('input', { bubbles: true })); c.dispatchEvent(new Event('change', { bubbles: true })); return 'ok' })()`); r != "ok" {
		tb.t.Fatalf("%s: no control %s; the page shows: %s", tb.name, sel, tb.text("main"))
	}
}

// key presses one key (kb.Tab, kb.Enter, " ") in the focused element.
func (tb *tab) key(k string) {
	tb.t.Helper()
	tb.do(chromedp.KeyEvent(k))
}

// typeText types into the focused element, key by key.
func (tb *tab) typeText(s string) {
	tb.t.Helper()
	tb.do(chromedp.KeyEvent(s))
}

// focused describes document.activeElement: its tag and name or data-action.
func (tb *tab) focused() string {
	return tb.eval(`(() => { const a = document.activeElement; return a.tagName.toLowerCase() + (a.name ? '[' + a.name + (a.type === 'checkbox' ? '=' + a.value : '') + ']' : a.dataset.action ? '[' + a.dataset.action + ']' : a.type === 'submit' ? '[submit]' : '') })()`)
}

// axe runs axe-core at WCAG 2.1 A and AA on the page as it is and fails the
// test on any violation, naming the rule and the elements.
func (tb *tab) axe(page string) {
	tb.t.Helper()
	if tb.eval(`typeof window.axe`) != "object" {
		if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[any](axeSource+"; true")); err != nil {
			tb.t.Fatalf("injecting axe-core: %v", err)
		}
	}
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
		.then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', ')).join('\n'))`, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("axe on %s: %v", page, err)
	}
	if v != "" {
		tb.t.Errorf("axe-core finds WCAG 2.1 AA violations on %s (%s):\n%s", page, tb.name, v)
	}
}

// shot saves the page to $EXITHUB_SCREENSHOTS/app-NAME.png when that is set,
// else only under the test's temporary directory.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatal(err)
	}
	dir := os.Getenv("EXITHUB_SCREENSHOTS")
	if dir == "" {
		dir = tb.t.TempDir()
	}
	p := filepath.Join(dir, "app-"+name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot: %s", p)
}

func (tb *tab) thrownNow() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.thrown...)
}

// clean fails on any script error or content security policy refusal.
func (tb *tab) clean() {
	tb.t.Helper()
	if refused := tb.eval(`(window.__refused ?? []).join('; ')`); refused != "" {
		tb.t.Errorf("%s: the content security policy refused: %s", tb.name, refused)
	}
	if thrown := tb.thrownNow(); len(thrown) > 0 {
		tb.t.Errorf("%s: the page threw: %s", tb.name, strings.Join(thrown, "; "))
	}
}
