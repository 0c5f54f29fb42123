package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
)

// QueryResult compares one query through the API with the same call
// through the driver, at one concurrency.
type QueryResult struct {
	Name      string  `json:"name"`
	Clients   int     `json:"clients"`
	Requests  int     `json:"requests"`
	APIP50    float64 `json:"api_p50_ms"`
	APIP99    float64 `json:"api_p99_ms"`
	DriverP50 float64 `json:"driver_p50_ms"`
	DriverP99 float64 `json:"driver_p99_ms"`
	RatioP50  float64 `json:"ratio_p50"`
	RatioP99  float64 `json:"ratio_p99"`
	Errors    int     `json:"errors"`
}

// Throughput is the API's request rate on loopback under load.
type Throughput struct {
	Clients     int     `json:"clients"`
	Seconds     float64 `json:"seconds"`
	Requests    int64   `json:"requests"`
	PerSecond   float64 `json:"requests_per_sec"`
	Errors      int64   `json:"errors"`
	Mix         string  `json:"mix"`
	StatusCodes string  `json:"status_codes"`
	// Hey is the same load from an outside generator (Config.Hey), on one URL.
	Hey *HeyResult `json:"hey,omitempty"`
}

// queryCase is one API route and the driver call it makes.
type queryCase struct {
	name   string
	url    func(i int) string                          // path and query for request i
	driver func(ctx context.Context, u *url.URL) error // the same call, without HTTP
}

func buildCases(ctx context.Context, db *neo4jdb.DB) ([]queryCase, error) {
	tycoons, err := kindIDs(ctx, db, graph.KindTycoon, 100)
	if err != nil {
		return nil, err
	}
	compounds, err := kindIDs(ctx, db, graph.KindCompound, 100)
	if err != nil {
		return nil, err
	}
	companies, err := kindIDs(ctx, db, graph.KindCompany, 100)
	if err != nil {
		return nil, err
	}
	pick := func(ids []string, i int) string { return url.PathEscape(ids[i%len(ids)]) }
	raw := func(ids []string, i int) string { return url.QueryEscape(ids[i%len(ids)]) }
	idOf := func(u *url.URL, prefix string) string {
		id, _ := url.PathUnescape(u.EscapedPath()[len(prefix):])
		return id
	}
	neighbors := func(depth int) queryCase {
		return queryCase{
			name: fmt.Sprintf("neighbors depth %d", depth),
			url: func(i int) string {
				ids := tycoons
				if i%2 == 1 {
					ids = compounds
				}
				return fmt.Sprintf("/v1/entities/%s/neighbors?depth=%d&limit=100", pick(ids, i/2), depth)
			},
			driver: func(ctx context.Context, u *url.URL) error {
				p := u.EscapedPath()
				id, _ := url.PathUnescape(p[len("/v1/entities/") : len(p)-len("/neighbors")])
				_, err := db.Neighbors(ctx, graph.NeighborsQuery{ID: id, Depth: qInt(u, "depth"), Limit: qInt(u, "limit")})
				return err
			},
		}
	}
	cases := []queryCase{
		neighbors(1),
		neighbors(2),
		{
			name: "paths shortest",
			url: func(i int) string {
				return fmt.Sprintf("/v1/paths?from=%s&to=%s&mode=shortest&max_hops=4", raw(tycoons, i), raw(compounds, i*7))
			},
			driver: func(ctx context.Context, u *url.URL) error {
				v := u.Query()
				_, err := db.Paths(ctx, graph.PathsQuery{From: v.Get("from"), To: v.Get("to"), Mode: graph.PathMode(v.Get("mode")), MaxHops: qInt(u, "max_hops")})
				return err
			},
		},
		{
			name: "prosecuted-compound-links (one person)",
			url: func(i int) string {
				return fmt.Sprintf("/v1/queries/prosecuted-compound-links?person=%s&max_hops=3&limit=25", raw(tycoons, i))
			},
			driver: func(ctx context.Context, u *url.URL) error {
				_, err := db.ProsecutedCompoundLinks(ctx, graph.LinkQuery{FocusID: u.Query().Get("person"), MaxHops: qInt(u, "max_hops"), Limit: qInt(u, "limit")})
				return err
			},
		},
		{
			name: "official-links (one company)",
			url: func(i int) string {
				return fmt.Sprintf("/v1/queries/official-links?focus=%s&max_hops=2&limit=25", raw(companies, i))
			},
			driver: func(ctx context.Context, u *url.URL) error {
				_, err := db.OfficialLinks(ctx, graph.LinkQuery{FocusID: u.Query().Get("focus"), MaxHops: qInt(u, "max_hops"), Limit: qInt(u, "limit")})
				return err
			},
		},
		{
			name: "compound-network",
			url:  func(i int) string { return "/v1/queries/compound-network/" + pick(compounds, i) },
			driver: func(ctx context.Context, u *url.URL) error {
				_, err := db.CompoundNetwork(ctx, idOf(u, "/v1/queries/compound-network/"), nil)
				return err
			},
		},
		{
			name: "victims-by-nationality (one compound)",
			url:  func(i int) string { return "/v1/queries/victims-by-nationality?compound=" + raw(compounds, i) },
			driver: func(ctx context.Context, u *url.URL) error {
				_, err := db.VictimsByNationality(ctx, graph.VictimQuery{CompoundID: u.Query().Get("compound")})
				return err
			},
		},
		{
			name: "timeline",
			url:  func(i int) string { return "/v1/queries/timeline/" + pick(tycoons, i) },
			driver: func(ctx context.Context, u *url.URL) error {
				_, err := db.Timeline(ctx, idOf(u, "/v1/queries/timeline/"), nil)
				return err
			},
		},
		{
			name: "ownership-chains",
			url:  func(i int) string { return "/v1/queries/ownership-chains/" + pick(companies, i) + "?max_hops=6" },
			driver: func(ctx context.Context, u *url.URL) error {
				_, err := db.OwnershipChains(ctx, idOf(u, "/v1/queries/ownership-chains/"), graph.LinkQuery{MaxHops: qInt(u, "max_hops"), Limit: graph.MaxPathsReturned})
				return err
			},
		},
	}
	return cases, nil
}

// qInt reads an integer query parameter of a case's own URL (0, the
// domain's default, when absent).
func qInt(u *url.URL, name string) int {
	n, _ := strconv.Atoi(u.Query().Get(name))
	return n
}

// requestTimeout bounds one measured call on both sides.
const requestTimeout = 60 * time.Second

func runQueries(ctx context.Context, db *neo4jdb.DB, cfg Config) ([]QueryResult, *Throughput, error) {
	// The API as served, keys checked, with rate limits lifted (they would
	// measure themselves, not the API).
	const keyName = "bench-"
	key, _, err := db.CreateKey(ctx, keyName+"reader", graph.RoleReader)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if _, err := db.DeleteKeysByNamePrefix(context.WithoutCancel(ctx), keyName); err != nil {
			cfg.step("delete bench keys: %v", err)
		}
	}()
	handler := api.New(api.Config{Reader: db, Investigator: db, Keys: db, Logger: slog.New(slog.DiscardHandler),
		RequestTimeout: requestTimeout, Limits: api.Limits{RateRPS: 1e6, RateBurst: 1_000_000, IPRateRPS: 1e6}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 120 * time.Second}

	cases, err := buildCases(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	apiCall := func(ctx context.Context, path string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: status %d", path, resp.StatusCode)
		}
		return nil
	}
	driverCall := func(qc queryCase) func(ctx context.Context, path string) error {
		return func(ctx context.Context, path string) error {
			u, err := url.Parse(path)
			if err != nil {
				return err
			}
			// The same deadline the API gives a request.
			ctx, cancel := context.WithTimeout(ctx, requestTimeout)
			defer cancel()
			return qc.driver(ctx, u)
		}
	}
	var out []QueryResult
	for _, qc := range cases {
		for _, clients := range cfg.Clients {
			cfg.step("query %s, %d client(s)", qc.name, clients)
			// Warm both paths (plan caches, JIT, connection pools).
			warm := min(20, cfg.Requests)
			measure(ctx, clients, warm, qc.url, apiCall)
			measure(ctx, clients, warm, qc.url, driverCall(qc))
			// Alternate halves so drift on a noisy machine hits both sides.
			var apiLat, drvLat []time.Duration
			errs := 0
			for round := 0; round < 2; round++ {
				l, e := measure(ctx, clients, cfg.Requests/2, qc.url, driverCall(qc))
				drvLat, errs = append(drvLat, l...), errs+e
				l, e = measure(ctx, clients, cfg.Requests/2, qc.url, apiCall)
				apiLat, errs = append(apiLat, l...), errs+e
			}
			sortDurations(apiLat)
			sortDurations(drvLat)
			r := QueryResult{Name: qc.name, Clients: clients, Requests: len(apiLat), Errors: errs,
				APIP50: ms(percentile(apiLat, 50)), APIP99: ms(percentile(apiLat, 99)),
				DriverP50: ms(percentile(drvLat, 50)), DriverP99: ms(percentile(drvLat, 99))}
			if r.DriverP50 > 0 {
				r.RatioP50 = r.APIP50 / r.DriverP50
			}
			if r.DriverP99 > 0 {
				r.RatioP99 = r.APIP99 / r.DriverP99
			}
			out = append(out, r)
		}
	}
	tp := throughput(ctx, cfg, base, key, client, cases[:3])
	if cfg.Hey != "" {
		route := cases[0].url(0)
		cfg.step("throughput: hey, %d clients for %ds on %s", tp.Clients, cfg.LoadSeconds, route)
		h, err := runHey(ctx, cfg.Hey, base+route, key, tp.Clients, cfg.LoadSeconds)
		if err != nil {
			return out, &tp, err
		}
		h.Route = route
		tp.Hey = &h
	}
	return out, &tp, nil
}

// measure runs n calls over the given number of concurrent clients and
// returns each call's latency and the number of failed calls.
func measure(ctx context.Context, clients, n int, urlFor func(int) string, call func(context.Context, string) error) ([]time.Duration, int) {
	lat := make([]time.Duration, n)
	var next, errs atomic.Int64
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				start := time.Now()
				if err := call(ctx, urlFor(i)); err != nil {
					errs.Add(1)
				}
				lat[i] = time.Since(start)
			}
		}()
	}
	wg.Wait()
	return lat, int(errs.Load())
}

// throughput drives the API with 8 clients for LoadSeconds, round-robin
// over the given cases, and counts answers and errors.
func throughput(ctx context.Context, cfg Config, base, key string, client *http.Client, cases []queryCase) Throughput {
	const clients = 8
	cfg.step("throughput: %d clients for %ds", clients, cfg.LoadSeconds)
	deadline := time.Now().Add(time.Duration(cfg.LoadSeconds) * time.Second)
	var total, errs, i atomic.Int64
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n := int(i.Add(1))
				qc := cases[n%len(cases)]
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+qc.url(n), nil)
				if err != nil {
					errs.Add(1)
					continue
				}
				req.Header.Set("Authorization", "Bearer "+key)
				resp, err := client.Do(req)
				total.Add(1)
				if err != nil {
					errs.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mu.Lock()
				codes[resp.StatusCode]++
				mu.Unlock()
				if resp.StatusCode != http.StatusOK {
					errs.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	mix := ""
	for j, qc := range cases {
		if j > 0 {
			mix += ", "
		}
		mix += qc.name
	}
	return Throughput{Clients: clients, Seconds: secs, Requests: total.Load(), PerSecond: float64(total.Load()) / secs,
		Errors: errs.Load(), Mix: mix, StatusCodes: fmt.Sprint(codes)}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
