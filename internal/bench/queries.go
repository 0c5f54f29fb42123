package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

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
	// The ratios are API over driver, and 0 when either side had errors:
	// latencies are of successful calls only, and a side that failed some
	// has no figure to compare.
	RatioP50     float64 `json:"ratio_p50"`
	RatioP99     float64 `json:"ratio_p99"`
	APIErrors    int     `json:"api_errors"`
	DriverErrors int     `json:"driver_errors"`
}

// Throughput is the API's request rate on loopback under load, beside the
// same calls through the driver.
type Throughput struct {
	Clients   int     `json:"clients"`
	Seconds   float64 `json:"seconds"`
	Requests  int64   `json:"requests"`
	PerSecond float64 `json:"requests_per_sec"`
	Errors    int64   `json:"errors"`
	// Driver is the same mix, same clients and as long, through the
	// driver; the two sides run in halves in the order API, driver,
	// driver, API. Ratio is API over driver requests/s, 0 when a side
	// had errors.
	DriverSeconds   float64 `json:"driver_seconds"`
	DriverRequests  int64   `json:"driver_requests"`
	DriverPerSecond float64 `json:"driver_requests_per_sec"`
	DriverErrors    int64   `json:"driver_errors"`
	Ratio           float64 `json:"ratio"`
	Mix             string  `json:"mix"`
	StatusCodes     string  `json:"status_codes"`
	// Hey is the API under an outside load generator (Config.Hey): one hey
	// process of one client per request of the mix, all at once.
	Hey *HeyResult `json:"hey,omitempty"`
}

// Store is what the driver side calls: the graph/neo4jdb methods the API's
// handlers call.
type Store interface {
	graph.Reader
	graph.Investigator
}

// queryCase is one API route, measured over requests i = 0, 1, 2 ...
type queryCase struct {
	name string
	at   func(i int) call
}

// call is request i of a case written out as an explicit pair: the URL the
// API is asked, and the domain query its handler hands the store for that
// URL, which the driver side runs through the same store method without
// HTTP. Every parameter the query has is spelled in the URL (defaults
// too), so the pair holds whichever side applies the defaults; a test
// serves each URL through the API and compares the query it reaches the
// store with.
type call struct {
	url   string
	query any // a graph.* query, or IDQuery / OwnershipQuery for the id routes
	run   func(ctx context.Context) error
}

// IDQuery is the query of the routes that take an entity id and as_of
// (compound-network, timeline).
type IDQuery struct {
	ID   string
	AsOf *graph.Date
}

// OwnershipQuery is the query of ownership-chains.
type OwnershipQuery struct {
	ID    string
	Query graph.LinkQuery
}

// sample holds entity ids of the loaded graph that the cases query.
type sample struct {
	tycoons, compounds, companies []string
}

func sampleIDs(ctx context.Context, db *neo4jdb.DB) (sample, error) {
	var s sample
	var err error
	if s.tycoons, err = kindIDs(ctx, db, graph.KindTycoon, 100); err != nil {
		return s, err
	}
	if s.compounds, err = kindIDs(ctx, db, graph.KindCompound, 100); err != nil {
		return s, err
	}
	s.companies, err = kindIDs(ctx, db, graph.KindCompany, 100)
	return s, err
}

// run discards a store call's answer.
func run[T any](f func() (T, error)) error {
	_, err := f()
	return err
}

func buildCases(s sample, st Store) []queryCase {
	pick := func(ids []string, i int) string { return ids[i%len(ids)] }
	neighbors := func(depth int) queryCase {
		return queryCase{
			name: fmt.Sprintf("neighbors depth %d", depth),
			at: func(i int) call {
				ids := s.tycoons
				if i%2 == 1 {
					ids = s.compounds
				}
				id := pick(ids, i/2)
				q := graph.NeighborsQuery{ID: id, Depth: depth, Limit: graph.DefaultNeighborLimit}
				return call{
					url:   fmt.Sprintf("/v1/entities/%s/neighbors?depth=%d&limit=%d", url.PathEscape(id), depth, q.Limit),
					query: q,
					run: func(ctx context.Context) error {
						return run(func() (graph.Subgraph, error) { return st.Neighbors(ctx, q) })
					},
				}
			},
		}
	}
	return []queryCase{
		neighbors(1),
		neighbors(2),
		{
			name: "paths shortest",
			at: func(i int) call {
				q := graph.PathsQuery{From: pick(s.tycoons, i), To: pick(s.compounds, i*7), MaxHops: 4, Mode: graph.PathShortest,
					Limit: graph.DefaultPathsLimit, MaxDegree: graph.DefaultPathHubDegree}
				return call{
					url: fmt.Sprintf("/v1/paths?from=%s&to=%s&mode=%s&max_hops=%d&limit=%d&max_degree=%d",
						url.QueryEscape(q.From), url.QueryEscape(q.To), q.Mode, q.MaxHops, q.Limit, q.MaxDegree),
					query: q,
					run: func(ctx context.Context) error {
						return run(func() (graph.PathsResult, error) { return st.Paths(ctx, q) })
					},
				}
			},
		},
		{
			name: "prosecuted-compound-links (one person)",
			at: func(i int) call {
				q := graph.LinkQuery{FocusID: pick(s.tycoons, i), MaxHops: 3, Limit: 25}
				return call{
					url: fmt.Sprintf("/v1/queries/prosecuted-compound-links?person=%s&max_hops=%d&limit=%d",
						url.QueryEscape(q.FocusID), q.MaxHops, q.Limit),
					query: q,
					run: func(ctx context.Context) error {
						return run(func() ([]graph.ProsecutedLink, error) { return st.ProsecutedCompoundLinks(ctx, q) })
					},
				}
			},
		},
		{
			name: "official-links (one company)",
			at: func(i int) call {
				q := graph.LinkQuery{FocusID: pick(s.companies, i), MaxHops: 2, Limit: 25}
				return call{
					url: fmt.Sprintf("/v1/queries/official-links?focus=%s&max_hops=%d&limit=%d",
						url.QueryEscape(q.FocusID), q.MaxHops, q.Limit),
					query: q,
					run: func(ctx context.Context) error {
						return run(func() ([]graph.OfficialLink, error) { return st.OfficialLinks(ctx, q) })
					},
				}
			},
		},
		{
			name: "compound-network",
			at: func(i int) call {
				q := IDQuery{ID: pick(s.compounds, i)}
				return call{
					url:   "/v1/queries/compound-network/" + url.PathEscape(q.ID),
					query: q,
					run: func(ctx context.Context) error {
						return run(func() (graph.CompoundNetwork, error) { return st.CompoundNetwork(ctx, q.ID, q.AsOf) })
					},
				}
			},
		},
		{
			name: "victims-by-nationality (one compound)",
			at: func(i int) call {
				q := graph.VictimQuery{CompoundID: pick(s.compounds, i)}
				return call{
					url:   "/v1/queries/victims-by-nationality?compound=" + url.QueryEscape(q.CompoundID),
					query: q,
					run: func(ctx context.Context) error {
						return run(func() ([]graph.VictimTally, error) { return st.VictimsByNationality(ctx, q) })
					},
				}
			},
		},
		{
			name: "timeline",
			at: func(i int) call {
				q := IDQuery{ID: pick(s.tycoons, i)}
				return call{
					url:   "/v1/queries/timeline/" + url.PathEscape(q.ID),
					query: q,
					run: func(ctx context.Context) error {
						return run(func() ([]graph.TimelineItem, error) { return st.Timeline(ctx, q.ID, q.AsOf) })
					},
				}
			},
		},
		{
			name: "ownership-chains",
			at: func(i int) call {
				id := pick(s.companies, i)
				// The route has no limit: the handler asks for every chain.
				q := OwnershipQuery{ID: id, Query: graph.LinkQuery{FocusID: id, MaxHops: 6, Limit: graph.MaxPathsReturned}}
				return call{
					url:   fmt.Sprintf("/v1/queries/ownership-chains/%s?max_hops=%d", url.PathEscape(id), q.Query.MaxHops),
					query: q,
					run: func(ctx context.Context) error {
						return run(func() ([]graph.OwnershipChain, error) { return st.OwnershipChains(ctx, q.ID, q.Query) })
					},
				}
			},
		},
	}
}

// DefaultRequestTimeout bounds one measured call on both sides, when
// Config.RequestTimeout is 0; the served handler must have the same
// deadline (HTTP_REQUEST_TIMEOUT).
const DefaultRequestTimeout = 60 * time.Second

// rounds is how many blocks of requests each measurement is split into;
// the side measured first alternates from one block to the next.
const rounds = 4

// sideFunc is one side's call: the API over HTTP, or the driver.
type sideFunc func(ctx context.Context, c call) error

func runQueries(ctx context.Context, db *neo4jdb.DB, cfg Config) ([]QueryResult, *Throughput, error) {
	if cfg.Handler == nil {
		return nil, nil, fmt.Errorf("bench: no API handler to measure (Config.Handler)")
	}
	// The API as served (the handler serve builds: keys checked, audit log
	// written, metrics counted), with rate limits lifted by the caller
	// (they would measure themselves, not the API).
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	srv := &http.Server{Handler: cfg.Handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 2 * cfg.RequestTimeout}

	s, err := sampleIDs(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	cases := buildCases(s, db)
	apiCall := func(ctx context.Context, c call) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+c.url, nil)
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
			return fmt.Errorf("%s: status %d", c.url, resp.StatusCode)
		}
		return nil
	}
	driverCall := func(ctx context.Context, c call) error {
		// The same deadline the API gives a request.
		ctx, cancel := context.WithTimeout(ctx, cfg.RequestTimeout)
		defer cancel()
		return c.run(ctx)
	}
	var out []QueryResult
	for ci, qc := range cases {
		for _, clients := range cfg.Clients {
			cfg.step("query %s, %d client(s)", qc.name, clients)
			r := compare(ctx, qc, clients, cfg.Requests, ci%2 == 0, apiCall, driverCall)
			if r.APIErrors+r.DriverErrors > 0 {
				cfg.step("WARNING: %s at %d client(s): %d API and %d driver errors; the figures of a side with errors are void",
					qc.name, clients, r.APIErrors, r.DriverErrors)
			}
			out = append(out, r)
		}
	}
	tp := throughput(ctx, cfg, apiCall, driverCall, cases[:3])
	if cfg.Hey != "" {
		// hey takes one URL: Clients processes of one client each, on as
		// many different requests of the same mix, run at once.
		var urls []string
		for c := range tp.Clients {
			urls = append(urls, cases[c%3].at(c/3).url)
		}
		cfg.step("throughput: hey, %d processes of 1 client for %ds over the mix", len(urls), cfg.LoadSeconds)
		h, err := runHeyMix(ctx, cfg.Hey, base, urls, key, cfg.LoadSeconds)
		if err != nil {
			return out, &tp, err
		}
		tp.Hey = &h
	}
	return out, &tp, nil
}

// compare measures one case at one concurrency on both sides, so that
// neither is favoured by the order: each side first warms up on its own
// (plan caches, JIT, connection pools), on requests past the measured
// ones; then the requests are measured in blocks, both sides over the same
// requests of a block, the side that goes first (and so touches the
// block's data cold) alternating from block to block. driverFirst says who
// starts; callers alternate it between cases. Failed calls are counted per
// side and left out of its latencies; a side with errors voids the ratios.
func compare(ctx context.Context, qc queryCase, clients, requests int, driverFirst bool, api, driver sideFunc) QueryResult {
	warm := min(20, requests)
	warmAt := func(i int) call { return qc.at(requests + i) }
	first, second := api, driver
	if driverFirst {
		first, second = driver, api
	}
	measure(ctx, clients, warm, warmAt, first)
	measure(ctx, clients, warm, warmAt, second)
	var apiLat, drvLat []time.Duration
	var apiErrs, drvErrs int
	per := max(requests/rounds, 1)
	for r, from := 0, 0; from < requests; r, from = r+1, from+per {
		n := min(per, requests-from)
		block := func(i int) call { return qc.at(from + i) }
		driverNow := driverFirst == (r%2 == 0)
		for range 2 {
			if driverNow {
				l, e := measure(ctx, clients, n, block, driver)
				drvLat, drvErrs = append(drvLat, l...), drvErrs+e
			} else {
				l, e := measure(ctx, clients, n, block, api)
				apiLat, apiErrs = append(apiLat, l...), apiErrs+e
			}
			driverNow = !driverNow
		}
	}
	sortDurations(apiLat)
	sortDurations(drvLat)
	res := QueryResult{Name: qc.name, Clients: clients, Requests: requests, APIErrors: apiErrs, DriverErrors: drvErrs,
		APIP50: ms(percentile(apiLat, 50)), APIP99: ms(percentile(apiLat, 99)),
		DriverP50: ms(percentile(drvLat, 50)), DriverP99: ms(percentile(drvLat, 99))}
	if apiErrs == 0 && drvErrs == 0 {
		if res.DriverP50 > 0 {
			res.RatioP50 = res.APIP50 / res.DriverP50
		}
		if res.DriverP99 > 0 {
			res.RatioP99 = res.APIP99 / res.DriverP99
		}
	}
	return res
}

// measure runs n calls over the given number of concurrent clients and
// returns the latencies of the calls that succeeded and the number that
// failed (a failed call's time says nothing about the query).
func measure(ctx context.Context, clients, n int, at func(int) call, side sideFunc) ([]time.Duration, int) {
	lat := make([]time.Duration, n)
	ok := make([]bool, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				req := at(i)
				start := time.Now()
				err := side(ctx, req)
				lat[i], ok[i] = time.Since(start), err == nil
			}
		}()
	}
	wg.Wait()
	var out []time.Duration
	errs := 0
	for i := range n {
		if ok[i] {
			out = append(out, lat[i])
		} else {
			errs++
		}
	}
	return out, errs
}

// load is one side's run of the throughput mix.
type load struct {
	requests, errs int64
	secs           float64
	codes          map[string]int
}

// drive runs clients loops over the mix (request n of the run is case
// n%len(cases), its request n) through side until the deadline.
func drive(ctx context.Context, clients int, d time.Duration, cases []queryCase, side sideFunc) load {
	deadline := time.Now().Add(d)
	var total, errs, i atomic.Int64
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				n := int(i.Add(1))
				err := side(ctx, cases[n%len(cases)].at(n))
				total.Add(1)
				code := "ok"
				if err != nil {
					errs.Add(1)
					code = "error"
				}
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return load{requests: total.Load(), errs: errs.Load(), secs: time.Since(start).Seconds(), codes: codes}
}

// throughput drives the API and then the driver with 8 clients over the
// given cases, LoadSeconds each, in halves ordered API, driver, driver,
// API, and counts answers and errors per side.
func throughput(ctx context.Context, cfg Config, api, driver sideFunc, cases []queryCase) Throughput {
	const clients = 8
	cfg.step("throughput: %d clients, %ds per side (API, driver, driver, API)", clients, cfg.LoadSeconds)
	half := time.Duration(cfg.LoadSeconds) * time.Second / 2
	var a, d load
	add := func(to *load, l load) {
		to.requests, to.errs, to.secs = to.requests+l.requests, to.errs+l.errs, to.secs+l.secs
		if to.codes == nil {
			to.codes = map[string]int{}
		}
		for k, v := range l.codes {
			to.codes[k] += v
		}
	}
	add(&a, drive(ctx, clients, half, cases, api))
	add(&d, drive(ctx, clients, half, cases, driver))
	add(&d, drive(ctx, clients, half, cases, driver))
	add(&a, drive(ctx, clients, half, cases, api))
	mix := ""
	for j, qc := range cases {
		if j > 0 {
			mix += ", "
		}
		mix += qc.name
	}
	t := Throughput{Clients: clients, Seconds: a.secs, Requests: a.requests, PerSecond: float64(a.requests) / a.secs, Errors: a.errs,
		DriverSeconds: d.secs, DriverRequests: d.requests, DriverPerSecond: float64(d.requests) / d.secs, DriverErrors: d.errs,
		Mix: mix, StatusCodes: fmt.Sprint(a.codes)}
	if a.errs == 0 && d.errs == 0 && t.DriverPerSecond > 0 {
		t.Ratio = t.PerSecond / t.DriverPerSecond
	}
	return t
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
