package browsertest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
	"github.com/scamgraph/scamgraph/web"
)

// imgDir is where the tests save the screenshots docs/explorer.md shows.
const imgDir = "../../docs/img"

// chromium finds the browser or fails the test saying how to get one.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium is not installed, so the browser tests cannot run: run scripts/browser-deps.sh " +
		"(apt-get update && apt-get install -y chromium, as root) or set CHROMIUM_PATH")
	return ""
}

type service struct {
	srv    *httptest.Server
	db     *neo4jdb.DB
	prefix string
	keys   map[graph.Role]string
}

// start imports data/sample under a fresh prefix, makes a key of each role
// and serves the API with the explorer, as serve does.
func start(t *testing.T) service {
	t.Helper()
	db := neo4jtest.Open(t)
	s := service{db: db, prefix: neo4jtest.Prefix(t), keys: map[graph.Role]string{}}
	neo4jtest.Cleanup(t, db, s.prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := neo4jtest.PrefixedCopy(t, neo4jtest.SampleDir(t), s.prefix)
	rep, err := importer.New(db, importer.Options{}).ImportPaths(ctx, []string{dir})
	if err != nil {
		t.Fatalf("import sample: %v", err)
	}
	t.Cleanup(func() {
		var q []string
		for _, f := range rep.Files {
			if f.RunID != "" {
				q = append(q, "'"+f.RunID+"'")
			}
		}
		if len(q) > 0 {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = db.RunScript(ctx, []string{"MATCH (r:ImportRun) WHERE r.id IN [" + strings.Join(q, ",") + "] DELETE r"})
		}
	})
	keyPrefix := "browser-test " + s.prefix
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.DeleteKeysByNamePrefix(ctx, keyPrefix); err != nil {
			t.Errorf("delete keys: %v", err)
		}
	})
	for _, r := range []graph.Role{graph.RoleReader, graph.RoleAnalyst} {
		plain, _, err := db.CreateKey(ctx, keyPrefix+string(r), r)
		if err != nil {
			t.Fatal(err)
		}
		s.keys[r] = plain
	}
	h := web.Mount(api.New(api.Config{Reader: db, Investigator: db, Keys: db, Logger: slog.New(slog.DiscardHandler),
		Limits: api.Limits{RateRPS: 50, RateBurst: 100, IPRateRPS: 100}}))
	s.srv = httptest.NewServer(h)
	t.Cleanup(s.srv.Close)
	return s
}

// getJSON asks the API directly (to find what the page should show).
func (s service) getJSON(t *testing.T, key, target string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+target, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %s", target, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

func newBrowser(t *testing.T, downloads string) context.Context {
	t.Helper()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1366, 768), chromedp.Flag("headless", true), chromedp.Flag("lang", "en-US"),
		// Chromium can take its time to start on a loaded 2-core machine
		// (chromedp waits 20 s by default, which CI once ran out).
		chromedp.WSURLReadTimeout(2*time.Minute))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel3)
	if err := chromedp.Run(ctx, browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(downloads)); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		var body string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`'status: ' + document.getElementById('status')?.textContent + '\nselected: ' + (window.scamgraphCy ? scamgraphCy.$(':selected').map((n) => n.id()).join(',') + ' nodes: ' + scamgraphCy.nodes().length : '') + '\n' + document.body.innerText.slice(0, 1500)`, &body))
		t.Fatalf("%s: %v\npage text:\n%s", what, err, body)
	}
}

// until waits for a JavaScript expression to be truthy.
func until(expr string) chromedp.Action {
	return chromedp.Poll(expr, nil, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))
}

func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var b []byte
	run(t, ctx, "screenshot "+name, chromedp.Sleep(300*time.Millisecond), chromedp.CaptureScreenshot(&b))
	if err := os.WriteFile(filepath.Join(imgDir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func js(s string) string { b, _ := json.Marshal(s); return string(b) }

// setValue sets a form field's value as a user would leave it (input and
// change events).
func setValue(sel, v string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`(() => { const e = document.querySelector(%s); e.value = %s; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); })()`, js(sel), js(v)), nil)
}

// dblclickNode double-taps a node through Cytoscape's event system (the
// handler the page binds to dbltap). Real CDP mouse clicks on the canvas did
// not reach Cytoscape in headless Chromium (docs/explorer.md, known gaps).
func dblclickNode(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	run(t, ctx, "double-tap "+id, chromedp.Evaluate(fmt.Sprintf(`scamgraphCy.getElementById(%s).emit('dbltap') && true`, js(id)), nil))
}

func signIn(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	run(t, ctx, "sign in",
		chromedp.WaitVisible(`[data-testid=key-input]`),
		setValue(`[data-testid=key-input]`, ""),
		chromedp.SendKeys(`[data-testid=key-input]`, key),
		chromedp.Click(`[data-testid=sign-in]`),
		until(`!document.getElementById('app').hidden`))
}

func TestExplorer(t *testing.T) {
	s := start(t)
	downloads := t.TempDir()
	ctx := newBrowser(t, downloads)
	p := s.prefix
	chen, ly := p+"person:chen-zhi", p+"person:ly-kuong"
	// Each step needs the ones before it: stop at the first that fails.
	passing := true
	step := func(name string, f func(t *testing.T)) {
		if passing {
			passing = t.Run(name, f)
		}
	}
	charged := p + "compound:ly-kuong-charged-compounds"

	step("security headers", func(t *testing.T) {
		res, err := http.Get(s.srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("Content-Security-Policy"); got != web.CSP {
			t.Errorf("CSP %q", got)
		}
	})

	step("wrong key is refused in words", func(t *testing.T) {
		run(t, ctx, "open", chromedp.Navigate(s.srv.URL+"/"),
			chromedp.WaitVisible(`[data-testid=key-input]`),
			chromedp.SendKeys(`[data-testid=key-input]`, "sg_not-a-key-anyone-issued"),
			chromedp.Click(`[data-testid=sign-in]`),
			until(`document.querySelector('[data-testid=signin-error]').textContent.includes('refused')`))
		shot(t, ctx, "explorer-signin.png")
	})

	step("sign in keeps the key out of the URL", func(t *testing.T) {
		signIn(t, ctx, s.keys[graph.RoleAnalyst])
		var href, stored, role string
		run(t, ctx, "read state", chromedp.Evaluate(`location.href`, &href), chromedp.Evaluate(`sessionStorage.getItem('scamgraph.key')`, &stored),
			chromedp.Text(`[data-testid=role]`, &role))
		if strings.Contains(href, "sg_") {
			t.Errorf("the key is in the URL: %s", href)
		}
		if stored != s.keys[graph.RoleAnalyst] {
			t.Errorf("sessionStorage holds %q", stored)
		}
		if !strings.Contains(role, "unknown") {
			t.Errorf("role shown %q", role)
		}
	})

	step("search chen zhi and open him", func(t *testing.T) {
		hit := fmt.Sprintf(`[data-testid=search-result][data-id=%s]`, js(chen))
		run(t, ctx, "search", chromedp.SendKeys(`[data-testid=search-input]`, "chen zhi"),
			chromedp.WaitVisible(hit))
		shot(t, ctx, "explorer-search.png")
		run(t, ctx, "open Chen Zhi", chromedp.Click(hit),
			until(`document.querySelector('[data-testid=entity-name]')?.textContent === 'Chen Zhi'`),
			until(`[...document.querySelectorAll('[data-testid=source]')].some((e) => e.textContent.includes('AFP') && e.textContent.includes('2026-01-19'))`),
			until(`document.querySelectorAll('[data-testid=rel-group]').length > 0`),
			until(fmt.Sprintf(`scamgraphCy.getElementById(%s).nonempty()`, js(chen))))
	})

	step("double-click expands into compounds", func(t *testing.T) {
		dblclickNode(t, ctx, chen)
		run(t, ctx, "neighbours drawn",
			until(fmt.Sprintf(`scamgraphCy.getElementById(%s).nonempty()`, js(p+"compound:chen-zhi-scam-operations-cambodia"))),
			until(`scamgraphCy.nodes('[kind="compound"]').length > 0 && scamgraphCy.edges().length > 3`))
		// data/sample holds no Prince-group entity (see docs/explorer.md);
		// the compound Chen Zhi operates is what his expansion must show.
		run(t, ctx, "tidy", chromedp.Click(`[data-testid=layout]`))
		shot(t, ctx, "explorer-graph.png")
	})

	step("path from Ly Kuong to his charged compounds shows the charge", func(t *testing.T) {
		hit := fmt.Sprintf(`[data-testid=search-result][data-id=%s]`, js(ly))
		run(t, ctx, "find Ly Kuong", setValue(`[data-testid=search-input]`, ""),
			chromedp.SendKeys(`[data-testid=search-input]`, "ly kuong"), chromedp.WaitVisible(hit), chromedp.Click(hit),
			until(`document.querySelector('[data-testid=entity-name]')?.textContent === 'Ly Kuong'`),
			chromedp.Click(`[data-testid=panel-expand]`),
			until(fmt.Sprintf(`scamgraphCy.getElementById(%s).nonempty()`, js(charged))),
			chromedp.Click(`[data-testid=panel-path-from]`),
			until(fmt.Sprintf(`document.getElementById('path-from').value === %s`, js(ly))),
			setValue(`#path-to`, charged),
			chromedp.Click(`[data-testid=path-find]`),
			until(`[...document.querySelectorAll('[data-testid=path-hop]')].some((h) => h.textContent.includes('OPERATES') && h.querySelector('[data-testid=evidence]')?.textContent === 'charge' && h.querySelector('[data-testid=source]'))`))
		shot(t, ctx, "explorer-path.png")
	})

	step("before 2024 Ly Kuong's charge is gone", func(t *testing.T) {
		chargeEdges := fmt.Sprintf(`scamgraphCy.getElementById(%s).connectedEdges('[evidence="charge"]')`, js(ly))
		var before int
		run(t, ctx, "count", chromedp.Evaluate(chargeEdges+`.filter((e) => !e.hasClass('filtered')).length`, &before))
		if before == 0 {
			t.Fatal("no charge drawn on Ly Kuong today")
		}
		run(t, ctx, "slide to 2023-12-31",
			chromedp.Evaluate(`(() => { const s = document.getElementById('date-slider'); const i = [...Array(Number(s.max)).keys()].find((i) => { s.value = String(i); s.dispatchEvent(new Event('input')); return document.getElementById('date-label').textContent === '2023-12-31'; }); s.value = String(i); s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); return i; })()`, nil),
			until(`document.querySelector('[data-testid=status]').textContent.includes('2023-12-31')`),
			until(chargeEdges+`.every((e) => e.hasClass('filtered'))`))
		shot(t, ctx, "explorer-asof-2023.png")
		run(t, ctx, "back to today",
			chromedp.Evaluate(`(() => { const s = document.getElementById('date-slider'); s.value = s.max; s.dispatchEvent(new Event('change')); })()`, nil),
			until(chargeEdges+`.some((e) => !e.hasClass('filtered'))`))
	})

	step("prosecuted-compound-links", func(t *testing.T) {
		run(t, ctx, "run the query",
			chromedp.Click(`[data-testid=queries-panel] summary`),
			setValue(`#query-name`, "prosecuted-compound-links"),
			chromedp.Evaluate(`document.getElementById('query-name').dispatchEvent(new Event('change'))`, nil),
			chromedp.WaitVisible(`[data-testid=qp-person]`),
			chromedp.SendKeys(`[data-testid=qp-person]`, ly),
			chromedp.Click(`[data-testid=query-run]`),
			until(`[...document.querySelectorAll('[data-testid=query-row]')].some((r) => r.textContent.includes('Ly Kuong') && r.textContent.includes('charge'))`),
			chromedp.ScrollIntoView(`[data-testid=query-result]`))
		shot(t, ctx, "explorer-queries.png")
	})

	step("export PNG", func(t *testing.T) {
		run(t, ctx, "export", chromedp.Click(`[data-testid=export-png]`))
		var b []byte
		for i := 0; i < 100 && len(b) == 0; i++ {
			time.Sleep(100 * time.Millisecond)
			b, _ = os.ReadFile(filepath.Join(downloads, "scamgraph.png"))
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) || len(b) < 2000 {
			t.Fatalf("exported PNG: %d bytes, starts %q", len(b), b[:min(len(b), 8)])
		}
	})

	step("CSP blocks an injected inline script and eval", func(t *testing.T) {
		var injected, evalBlocked bool
		run(t, ctx, "inject",
			chromedp.Evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'window.__injected = true'; document.body.append(s); })()`, nil),
			chromedp.Sleep(200*time.Millisecond),
			chromedp.Evaluate(`window.__injected === true`, &injected),
			chromedp.Evaluate(`(() => { try { return eval('1') !== 1; } catch (e) { return e instanceof EvalError; } })()`, &evalBlocked,
				func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
					return p.WithAllowUnsafeEvalBlockedByCSP(false)
				}))
		if injected {
			t.Error("an injected inline script ran")
		}
		if !evalBlocked {
			t.Error("eval ran")
		}
	})

	step("a reader sees no victim personal field", func(t *testing.T) {
		// A compound holding victims, and those victims as an analyst sees them.
		var tallies struct {
			Tallies []struct {
				CompoundID string `json:"compound_id"`
			} `json:"tallies"`
		}
		s.getJSON(t, s.keys[graph.RoleAnalyst], "/v1/queries/victims-by-nationality", &tallies)
		var compound string
		type victim struct {
			ID         string         `json:"id"`
			Name       string         `json:"name"`
			Kinds      []string       `json:"kinds"`
			Properties map[string]any `json:"properties"`
		}
		var victims []victim
		for _, tl := range tallies.Tallies {
			if !strings.HasPrefix(tl.CompoundID, p) {
				continue
			}
			var g struct {
				Nodes []victim `json:"nodes"`
			}
			s.getJSON(t, s.keys[graph.RoleAnalyst], "/v1/entities/"+url.PathEscape(tl.CompoundID)+"/neighbors?kind=victim&limit=100", &g)
			var vs []victim
			for _, n := range g.Nodes {
				if slices.Contains(n.Kinds, string(graph.KindVictim)) {
					for k := range n.Properties {
						if !slices.Contains(graph.VictimPublicProperties, k) {
							vs = append(vs, n)
							break
						}
					}
				}
			}
			if len(vs) > len(victims) {
				compound, victims = tl.CompoundID, vs
			}
		}
		if len(victims) == 0 {
			t.Fatal("the sample holds no victim with personal details")
		}
		run(t, ctx, "sign out", chromedp.Click(`[data-testid=sign-out]`), chromedp.WaitVisible(`[data-testid=key-input]`))
		var stored string
		run(t, ctx, "key forgotten", chromedp.Evaluate(`sessionStorage.getItem('scamgraph.key') || ''`, &stored))
		if stored != "" {
			t.Fatal("sign out left the key in sessionStorage")
		}
		signIn(t, ctx, s.keys[graph.RoleReader])
		// The shared link of an expanded compound reopens it for the reader.
		run(t, ctx, "open the compound's link", chromedp.Navigate("about:blank"),
			chromedp.Navigate(s.srv.URL+"/#x="+url.QueryEscape(compound)),
			until(`!document.getElementById('app').hidden`),
			until(fmt.Sprintf(`scamgraphCy.getElementById(%s).nonempty()`, js(victims[0].ID))))
		for _, v := range victims {
			run(t, ctx, "open victim "+v.ID,
				chromedp.Evaluate(fmt.Sprintf(`scamgraphCy.getElementById(%s).emit('tap') && true`, js(v.ID)), nil),
				until(fmt.Sprintf(`document.querySelector('[data-testid=entity-panel] p.help')?.textContent === %s`, js(v.ID))))
			var text string
			var fields []string
			run(t, ctx, "read the page", chromedp.Evaluate(`document.body.innerText`, &text),
				chromedp.Evaluate(`[...document.querySelectorAll('[data-testid^=prop-]')].map((e) => e.dataset.testid.slice(5))`, &fields))
			for _, f := range fields {
				if !slices.Contains(graph.VictimPublicProperties, f) {
					t.Errorf("victim %s shows property %s to a reader", v.ID, f)
				}
			}
			for k, val := range v.Properties {
				s := fmt.Sprint(val)
				if slices.Contains(graph.VictimPublicProperties, k) || len(s) < 6 || strings.Contains(v.Name, s) || strings.Contains(fmt.Sprint(v.Properties["pseudonym"]), s) {
					continue
				}
				if strings.Contains(text, s) {
					t.Errorf("victim %s: the reader's page shows %s = %q", v.ID, k, s)
				}
			}
		}
		shot(t, ctx, "explorer-reader-victims.png")
	})
}
