package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"exithub"
)

// chromiumPath is Debian's Chromium, which CI installs. The test fails
// rather than skips without it: a dashboard nobody ever opened in a browser
// is not tested.
const chromiumPath = "/usr/bin/chromium"

// TestDashboard opens the analysts' dashboard in headless Chromium with a
// ministry analyst's token and checks every figure it shows against the API.
func TestDashboard(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the dashboard test drives Chromium at %s: install the Debian package chromium (apt-get install -y chromium): %v", chromiumPath, err)
	}
	h := startHub(t)
	analyst := h.token("ministry", exithub.RoleAnalyst)
	checkDashboardServed(t, h)
	b := newBrowser(t)

	// No subtests: h.must and the browser's helpers fail the test they were
	// made with, which must be the goroutine that runs them.
	start := time.Now()
	if state := b.open(h.url + "/dashboard#token=" + analyst); state != "ready" {
		t.Fatalf("the dashboard ended in state %q: %s", state, b.eval(`document.querySelector('main').innerText`))
	}
	t.Logf("dashboard loaded and drawn in %v", time.Since(start).Round(time.Millisecond))
	b.checkClean()
	if href := b.eval(`location.href`); strings.Contains(href, "token") {
		t.Errorf("the token stays in the URL: %s", href)
	}
	if b.eval(`sessionStorage.getItem('exithub.token')`) != analyst {
		t.Error("the token from the fragment was not kept in sessionStorage")
	}
	dom := b.read()
	checkMinistersTable(t, dom)
	checkTable(t, h, analyst, "2014-03-18", dom)
	checkMoney(t, h, analyst, dom)
	checkMunicipalities(t, h, b, analyst, "2014-02-28", dom)
	checkTrend(t, h, analyst, dom)
	b.screenshot()

	// A month's end, with ended CTI courses: the breakdown is that month's release.
	b.eval(`(() => { const i = document.querySelector('#asof'); i.value = '2014-06-30'; i.dispatchEvent(new Event('change')); return i.value })()`)
	if state := b.wait(); state != "ready" {
		t.Fatalf("after a change of date the dashboard is in state %q", state)
	}
	dom = b.read()
	checkTable(t, h, analyst, "2014-06-30", dom)
	checkMunicipalities(t, h, b, analyst, "2014-06-30", dom)

	checkMoneyFormat(t, b)
	b.do(chromedp.Click(chromedp.CSS(`[data-lang="en"]`)))
	english := b.eval(`document.querySelector('#panel-table h2').textContent + '|' + document.querySelector('[data-money="granted"]').textContent + '|' + document.documentElement.lang`)
	b.do(chromedp.Click(chromedp.CSS(`[data-lang="da"]`)))
	if english != "Persons helped|DKK 32.8m|en" {
		t.Errorf("in English the page shows %q", english)
	}

	b.open(h.url + "/dashboard#token=" + h.token("101", exithub.RoleCaseworker))
	if msg := b.eval(`document.querySelector('#panel-table [data-error-code]')?.innerText ?? ''`); !strings.Contains(msg, "FORBIDDEN") || !strings.Contains(msg, "Adgang nægtet") {
		t.Errorf("a caseworker's dashboard says %q; want a readable FORBIDDEN", msg)
	}
	b.checkClean()
	b.open(h.url + "/dashboard#token=not-a-token")
	if msg := b.eval(`document.querySelector('#notice [data-error-code]')?.innerText ?? ''`); !strings.Contains(msg, "UNAUTHENTICATED") || !strings.Contains(msg, "Ikke logget ind") {
		t.Errorf("with a bad token the dashboard says %q; want a readable UNAUTHENTICATED", msg)
	}
	b.checkClean()
}

// checkDashboardServed asks for the files as any client would, without a token.
func checkDashboardServed(t *testing.T, h *hub) {
	for path, want := range map[string]string{"/dashboard": "text/html", "/dashboard/": "text/html",
		"/dashboard/app.js": "text/javascript", "/dashboard/dashboard.css": "text/css"} {
		resp, err := http.Get(h.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		ct, csp := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, want) || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: %d %q, policy %q", path, resp.StatusCode, ct, csp)
		}
	}
	for _, path := range []string{"/dashboard/nope.js", "/dashboard/static/app.js", "/dashboard/../go.mod"} {
		resp, err := http.Get(h.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("GET %s answers 200", path)
		}
	}
}

// domCell is a figure as the page shows it.
type domCell struct {
	Muni       string `json:"muni"`
	Key        string `json:"key"`
	Value      string `json:"value"`
	Suppressed string `json:"suppressed"`
	Partial    string `json:"partial"`
	Text       string `json:"text"`
	Date       string `json:"date"`
}

// dashboardDOM is everything the page marks as a figure.
type dashboardDOM struct {
	Figures map[string]domCell `json:"figures"`
	Money   map[string]domCell `json:"money"`
	Munis   []domCell          `json:"munis"`
	Trend   []domCell          `json:"trend"`
}

const readFigures = `(() => {
  const cell = (n, key) => ({ key: n.getAttribute(key), value: n.dataset.value ?? n.dataset.amount ?? '',
    suppressed: n.dataset.suppressed ?? '', partial: n.dataset.partial ?? '', text: n.textContent.trim(), muni: n.dataset.muni ?? '', date: n.dataset.date ?? '' });
  const all = (sel, key) => [...document.querySelectorAll(sel)].map((n) => cell(n, key));
  const byKey = (list) => Object.fromEntries(list.map((c) => [c.key, c]));
  return {
    figures: byKey(all('[data-figure]', 'data-figure')),
    money: byKey(all('[data-money]', 'data-money')),
    munis: all('[data-muni][data-category]', 'data-category').map((c, i) =>
      ({ ...c, text: document.querySelectorAll('[data-muni][data-category] .bar-value')[i].textContent.trim() })),
    trend: all('svg.trend [data-series]', 'data-series'),
  };
})()`

// apiCell is what the page should show for a key: the sum of the parts
// the API published, and how many parts it withheld.
type apiCell struct{ sum, parts, hidden int }

// want is the cell as the page marks it: "suppressed" when every part is
// withheld, else the published sum ("at least" when some part is withheld).
func (c apiCell) want() (value string, suppressed, partial bool) {
	if c.parts > 0 && c.hidden == c.parts {
		return "", true, false
	}
	return strconv.Itoa(c.sum), false, c.hidden > 0
}

// apiCells maps the API's statistics rows to the page's keys: CTI by state
// and track, CTI by track, CTI in all, and the other categories.
func apiCells(d map[string]any) map[string]apiCell {
	out := map[string]apiCell{"personsHelped": {parts: 1}}
	if v, ok := get(d, "statistics", "personsHelped", "value").(float64); ok {
		out["personsHelped"] = apiCell{sum: int(v), parts: 1}
	} else {
		out["personsHelped"] = apiCell{parts: 1, hidden: 1}
	}
	for _, r := range get(d, "statistics", "categories").([]any) {
		cat, v := get(r, "category").(string), get(r, "persons", "value")
		keys := []string{cat}
		if cat == "CTI" {
			track := get(r, "track").(string)
			keys = []string{"CTI", "CTI/" + track}
			if state := get(r, "courseState"); state != nil {
				keys = append(keys, fmt.Sprint("CTI/", state, "/", track))
			}
		}
		for _, k := range keys {
			c := out[k]
			c.parts++
			if n, ok := v.(float64); ok {
				c.sum += int(n)
			} else {
				c.hidden++
			}
			out[k] = c
		}
	}
	return out
}

// sameCell reports whether the page shows a cell as the API says it.
func sameCell(got domCell, api apiCell) bool {
	value, suppressed, partial := api.want()
	return got.Value == value && got.Suppressed == strconv.FormatBool(suppressed) && (got.Partial == "true") == partial
}

// checkMinistersTable checks the figures the minister reported for 18 March 2014.
func checkMinistersTable(t *testing.T, dom dashboardDOM) {
	minister := map[string]string{"CTI/EXIT": "11", "CTI/LIFE_SITUATION": "29", "ORIENTATION": "23",
		"ACUTE_SUPPORT": "13", "REFERRED_ELSEWHERE": "15", "personsHelped": "91"}
	for key, want := range minister {
		if got := dom.Figures[key]; got.Value != want || got.Text != want || got.Suppressed != "false" {
			t.Errorf("%s: the page shows %+v; the minister reported %s", key, got, want)
		}
	}
}

// checkTable compares every line of the page's table with the API's answer.
func checkTable(t *testing.T, h *hub, token, date string, dom dashboardDOM) {
	api := apiCells(h.must(token, statisticsQuery, map[string]any{"d": date}))
	for key, c := range api {
		if got, ok := dom.Figures[key]; !ok || !sameCell(got, c) {
			t.Errorf("%s on %s: the page shows %+v, the API %+v", key, date, got, c)
		}
	}
	if len(dom.Figures) != len(api) {
		t.Errorf("on %s the page shows %d figures, the API gives %d", date, len(dom.Figures), len(api))
	}
}

func checkMoney(t *testing.T, h *hub, token string, dom dashboardDOM) {
	d := h.must(token, `{ programme(code: "EXIT_PROSTITUTION") { funding(asOf: "2014-03-18") { frame granted disbursed notGranted } } }`, nil)
	want := map[string]string{"frame": "46,0 mio. kr.", "granted": "32,8 mio. kr.", "disbursed": "12,2 mio. kr.", "notGranted": "13,2 mio. kr."}
	for k, text := range want {
		got := dom.Money[k]
		if got.Value != get(d, "programme", "funding", k) || got.Text != text {
			t.Errorf("%s: the page shows %q (%s), the API %v; want %q", k, got.Text, got.Value, get(d, "programme", "funding", k), text)
		}
	}
}

// checkMunicipalities compares the bars with the release of the month
// ending on or before the chosen day: every cell of the release is drawn,
// a cell under the threshold reads "under 5" with no bar and no number.
func checkMunicipalities(t *testing.T, h *hub, b *browser, token, monthEnd string, dom dashboardDOM) {
	d := h.must(token, `query($d: Date!) { statistics(asOf: $d, groupBy: [MUNICIPALITY]) {
	  categories { category courseState track municipality { code } persons { value suppressed } } } }`, map[string]any{"d": monthEnd})
	if sub := b.eval(`document.querySelector('#panel-muni .sub').textContent`); !strings.Contains(sub, monthEnd[:4]) ||
		!strings.Contains(sub, "under 5") {
		t.Errorf("the municipal panel does not say which release it draws (%s): %q", monthEnd, sub)
	}
	shown := map[string]domCell{}
	for _, c := range dom.Munis {
		shown[c.Muni+" "+c.Key] = c
		if c.Suppressed == "true" {
			if c.Value != "" || c.Text != "under 5" {
				t.Errorf("cell %s %s under the threshold reads %q (value %q); want \"under 5\"", c.Muni, c.Key, c.Text, c.Value)
			}
		} else if n, err := strconv.Atoi(c.Text); err != nil || n < 5 {
			t.Errorf("cell %s %s shows %q", c.Muni, c.Key, c.Text)
		}
	}
	if n := b.eval(`String(document.querySelectorAll('[data-suppressed="true"] .bar:not(.bar-under)').length)`); n != "0" {
		t.Errorf("%s cells under the threshold are drawn as bars", n)
	}
	under := 0
	rows := get(d, "statistics", "categories").([]any)
	for _, r := range rows {
		key := get(r, "category").(string)
		if key == "CTI" {
			key = fmt.Sprint("CTI/", get(r, "courseState"), "/", get(r, "track"))
		}
		muni := get(r, "municipality", "code").(string)
		c, ok := shown[muni+" "+key]
		switch {
		case !ok:
			t.Errorf("the page has no bar for %s %s", muni, key)
		case get(r, "persons", "suppressed") == true:
			under++
			if c.Suppressed != "true" {
				t.Errorf("%s %s is under the threshold in the release, the page shows %q", muni, key, c.Text)
			}
		case c.Value != fmt.Sprint(get(r, "persons", "value")):
			t.Errorf("%s %s: the page shows %q, the release %v", muni, key, c.Value, get(r, "persons", "value"))
		}
	}
	if len(dom.Munis) != len(rows) {
		t.Errorf("the page draws %d municipal cells, the release has %d", len(dom.Munis), len(rows))
	}
	if under == 0 {
		t.Errorf("the release of %s has no cell under the threshold: the demo has small ones", monthEnd)
	}
}

func checkTrend(t *testing.T, h *hub, token string, dom dashboardDOM) {
	if len(dom.Trend) != 4*13 {
		t.Fatalf("the chart has %d points; want 4 categories × 13 months", len(dom.Trend))
	}
	api := map[string]map[string]apiCell{}
	for _, p := range dom.Trend {
		if api[p.Date] == nil {
			api[p.Date] = apiCells(h.must(token, statisticsQuery, map[string]any{"d": p.Date}))
		}
		if c := api[p.Date][p.Key]; !sameCell(p, c) && !(c.parts == 0 && p.Value == "0") {
			t.Errorf("%s on %s: the chart has %+v, the API %+v", p.Key, p.Date, p, c)
		}
	}
	if first, last := dom.Trend[0].Date, dom.Trend[12].Date; first != "2014-01-31" || last != "2015-01-31" {
		t.Errorf("the chart runs from %s to %s", first, last)
	}
}

func checkMoneyFormat(t *testing.T, b *browser) {
	got := b.evalAsync(`Promise.all([import('/dashboard/format.js'), import('/dashboard/i18n.js')]).then(([f, i]) => {
	  const was = i.language();
	  i.setLanguage('da');
	  const out = [f.formatMio('1150000.00'), f.formatMio('32749999.99'), f.formatMio('-1150000.00'), f.formatMio('0.00'),
	    f.formatMio('9007199254740993.00'), f.formatKroner('9007199254740993.05'), f.formatKroner('12.3')].join(' | ');
	  i.setLanguage(was);
	  return out;
	})`)
	want := "1,2 mio. kr. | 32,7 mio. kr. | −1,2 mio. kr. | 0,0 mio. kr. | 9.007.199.254,7 mio. kr. | 9.007.199.254.740.993,05 kr. | 12,30 kr."
	if got != want {
		t.Fatalf("formatted\n%s\nwant\n%s", got, want)
	}
}

// browser is one headless Chromium tab and what its pages threw.
type browser struct {
	t   *testing.T
	ctx context.Context
	pageErrors
}

// pageErrors collects the exceptions a page throws, for a test to report.
type pageErrors struct {
	mu     sync.Mutex
	thrown []string
}

// watch records every exception thrown in ctx's target, and makes every
// page it loads record what its content security policy refused (in
// window.__refused).
func (e *pageErrors) watch(t *testing.T, ctx context.Context) {
	t.Helper()
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			text := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				text += " " + ev.ExceptionDetails.Exception.Description
			}
			e.mu.Lock()
			e.thrown = append(e.thrown, text)
			e.mu.Unlock()
		}
	}()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__refused = []; document.addEventListener('securitypolicyviolation', (e) => window.__refused.push(e.violatedDirective + ' ' + e.blockedURI));`,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// newBrowser starts Chromium with a fresh profile; it is stopped, and its
// profile removed, when the test ends.
func newBrowser(t *testing.T) *browser {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root, where Chromium's sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Containers have a small /dev/shm; Chromium crashes tabs that outgrow it.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// Cleanups run last-in first-out: the browser exits before t.TempDir
	// removes its profile.
	t.Cleanup(func() { cancel(); cancelAlloc() })
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelTimeout)
	b := &browser{t: t, ctx: ctx}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}
	b.watch(t, ctx)
	return b
}

// open loads a URL afresh (via about:blank, so that a new fragment is a new
// page) and waits until the dashboard is ready or has failed.
func (b *browser) open(url string) string {
	b.t.Helper()
	b.do(chromedp.Navigate("about:blank"), chromedp.Navigate(url))
	return b.wait()
}

// wait waits until the dashboard has loaded (ready) or failed (error).
func (b *browser) wait() string {
	b.t.Helper()
	state, err := chromedp.Run(b.ctx, chromedp.Poll[string](
		`['ready', 'error'].includes(document.documentElement.dataset.state) && document.documentElement.dataset.state`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.t.Fatalf("waiting for the dashboard: %v (thrown: %v)", err, b.thrown)
	}
	return state
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

func (b *browser) evalAsync(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

func (b *browser) read() dashboardDOM {
	b.t.Helper()
	dom, err := chromedp.Run(b.ctx, chromedp.Evaluate[dashboardDOM](readFigures))
	if err != nil {
		b.t.Fatal(err)
	}
	return dom
}

// screenshot saves the whole page as dashboard.png in the directory
// $EXITHUB_SCREENSHOTS names, for a human to look at, or else in the
// test's temporary directory only.
func (b *browser) screenshot() {
	t := b.t
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("EXITHUB_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "dashboard.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// checkClean fails on any script error or policy refusal the pages met.
func (b *browser) checkClean() {
	t := b.t
	if refused := b.eval(`window.__refused.join('; ')`); refused != "" {
		t.Errorf("the content security policy refused: %s", refused)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.thrown) > 0 {
		t.Errorf("the page threw: %v", b.thrown)
		b.thrown = nil
	}
}
