package bench_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/bench"
)

// recorder is a store that remembers the last query it was handed.
type recorder struct{ got any }

func (r *recorder) Ping(context.Context) error { return nil }
func (r *recorder) Search(_ context.Context, q graph.SearchQuery) (graph.SearchPage, error) {
	r.got = q
	return graph.SearchPage{}, nil
}
func (r *recorder) Entity(_ context.Context, q graph.EntityQuery) (graph.EntityDetail, error) {
	r.got = q.ID
	return graph.EntityDetail{}, nil
}
func (r *recorder) Neighbors(_ context.Context, q graph.NeighborsQuery) (graph.Subgraph, error) {
	r.got = q
	return graph.Subgraph{}, nil
}
func (r *recorder) Paths(_ context.Context, q graph.PathsQuery) (graph.PathsResult, error) {
	r.got = q
	return graph.PathsResult{}, nil
}
func (r *recorder) Stats(context.Context, graph.StatsQuery) (graph.Stats, error) {
	return graph.Stats{}, nil
}
func (r *recorder) ProsecutedCompoundLinks(_ context.Context, q graph.LinkQuery) ([]graph.ProsecutedLink, error) {
	r.got = q
	return nil, nil
}
func (r *recorder) OfficialLinks(_ context.Context, q graph.LinkQuery) ([]graph.OfficialLink, error) {
	r.got = q
	return nil, nil
}
func (r *recorder) CompoundNetwork(_ context.Context, id string, asOf *graph.Date) (graph.CompoundNetwork, error) {
	r.got = bench.IDQuery{ID: id, AsOf: asOf}
	return graph.CompoundNetwork{}, nil
}
func (r *recorder) VictimsByNationality(_ context.Context, q graph.VictimQuery) ([]graph.VictimTally, error) {
	r.got = q
	return nil, nil
}
func (r *recorder) Timeline(_ context.Context, id string, asOf *graph.Date) ([]graph.TimelineItem, error) {
	r.got = bench.IDQuery{ID: id, AsOf: asOf}
	return nil, nil
}
func (r *recorder) OwnershipChains(_ context.Context, id string, q graph.LinkQuery) ([]graph.OwnershipChain, error) {
	r.got = bench.OwnershipQuery{ID: id, Query: q}
	return nil, nil
}

// readerKeys lets every key in as a reader.
type readerKeys struct{}

func (readerKeys) CreateKey(context.Context, string, graph.Role) (string, graph.APIKey, error) {
	return "", graph.APIKey{}, errors.New("not here")
}
func (readerKeys) ListKeys(context.Context) ([]graph.APIKey, error) { return nil, nil }
func (readerKeys) RevokeKey(context.Context, string) error          { return nil }
func (readerKeys) Authenticate(context.Context, string) (graph.Principal, error) {
	return graph.Principal{KeyID: "key_test", Name: "test", Role: graph.RoleReader}, nil
}

// TestCasesArePairs: for every case, the URL the API is asked reaches the
// store as exactly the domain query the driver side runs, so the two sides
// measure the same call. A parameter the API reads differently (a default
// moved, a filter dropped) fails here, not silently in the figures.
func TestCasesArePairs(t *testing.T) {
	rec := &recorder{}
	h := api.New(api.Config{Reader: rec, Investigator: rec, Keys: readerKeys{}, Logger: slog.New(slog.DiscardHandler),
		Limits: api.Limits{RateRPS: 1e6, RateBurst: 1_000_000, IPRateRPS: 1e6}})
	// Ids with the characters that need escaping in a path or a query.
	ids := func(kind string) []string {
		return []string{kind + ":1", kind + "/2@x", kind + "+3.a_b-c"}
	}
	cases := bench.Cases(ids("tycoon"), ids("compound"), ids("company"), rec)
	if len(cases) != 9 {
		t.Fatalf("%d cases, want 9", len(cases))
	}
	for _, qc := range cases {
		for i := range 6 { // both halves of the neighbours cases, every id
			c := qc.At(i)
			t.Run(qc.Name+"/"+strconv.Itoa(i), func(t *testing.T) {
				if c.Query == nil {
					t.Fatalf("%s has no domain query", c.URL)
				}
				rec.got = nil
				req := httptest.NewRequest(http.MethodGet, c.URL, nil)
				req.Header.Set("Authorization", "Bearer sg_test")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					t.Fatalf("GET %s: %d %s", c.URL, w.Code, w.Body)
				}
				if !reflect.DeepEqual(rec.got, c.Query) {
					t.Errorf("GET %s reached the store as\n%#v\nthe driver side runs\n%#v", c.URL, rec.got, c.Query)
				}
				rec.got = nil
				if err := c.Run(context.Background()); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(rec.got, c.Query) {
					t.Errorf("the driver side ran\n%#v\nnot its query\n%#v", rec.got, c.Query)
				}
			})
		}
	}
}

// TestCompare: each side warms up on its own requests, the measured
// requests are the same on both sides, the side going first alternates
// from block to block, and errors are counted per side and void the
// ratios.
func TestCompare(t *testing.T) {
	type step struct {
		side string
		url  string
	}
	tests := []struct {
		name              string
		driverFirst       bool
		apiErr, driverErr func(url string) bool
		wantAPIErrors     int
		wantDriverErrors  int
	}{
		{name: "driver first", driverFirst: true},
		{name: "api first"},
		{name: "api errors void the ratio", apiErr: func(u string) bool { return u == "3" }, wantAPIErrors: 1},
		{name: "driver errors void the ratio", driverErr: func(u string) bool { return u == "0" || u == "5" }, wantDriverErrors: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var steps []step
			side := func(name string, fail func(string) bool, d time.Duration) func(string) (time.Duration, error) {
				return func(u string) (time.Duration, error) {
					mu.Lock()
					steps = append(steps, step{name, u})
					mu.Unlock()
					if fail != nil && fail(u) {
						return 0, errors.New("refused")
					}
					return d, nil
				}
			}
			const requests = 8
			r := bench.Compare(1, requests, tc.driverFirst,
				side("api", tc.apiErr, 2*time.Millisecond), side("driver", tc.driverErr, time.Millisecond))

			if r.APIErrors != tc.wantAPIErrors || r.DriverErrors != tc.wantDriverErrors {
				t.Errorf("errors api %d driver %d, want %d and %d", r.APIErrors, r.DriverErrors, tc.wantAPIErrors, tc.wantDriverErrors)
			}
			if r.Requests != requests {
				t.Errorf("requests %d, want %d", r.Requests, requests)
			}
			failed := tc.wantAPIErrors+tc.wantDriverErrors > 0
			if failed != (r.RatioP50 == 0 && r.RatioP99 == 0) {
				t.Errorf("ratios %v/%v with %d+%d errors", r.RatioP50, r.RatioP99, r.APIErrors, r.DriverErrors)
			}
			if !failed && (r.RatioP50 < 1.2 || r.APIP50 < r.DriverP50) {
				t.Errorf("API 2 ms vs driver 1 ms measured as %.2f vs %.2f ms (ratio %.2f)", r.APIP50, r.DriverP50, r.RatioP50)
			}
			// Warm-ups first, one per side, on requests past the measured.
			first, second := "api", "driver"
			if tc.driverFirst {
				first, second = second, first
			}
			for i, s := range steps[:requests] { // 8 warm-up requests: min(20, 8)
				if s.side != first {
					t.Fatalf("warm-up step %d: %v, want %s's warm-up first", i, s, first)
				}
				if n, _ := strconv.Atoi(s.url); n < requests {
					t.Errorf("warm-up on measured request %s", s.url)
				}
			}
			if steps[requests].side != second {
				t.Errorf("the second warm-up is %v, want %s's", steps[requests], second)
			}
			// Then blocks of 2 (8 requests in 4 rounds): a, b, b, a, a, b, b, a.
			measured := steps[2*requests:]
			var order []string
			perSide := map[string][]string{}
			for _, s := range measured {
				if len(order) == 0 || order[len(order)-1] != s.side {
					order = append(order, s.side)
				}
				perSide[s.side] = append(perSide[s.side], s.url)
			}
			want := []string{first, second, first, second, first}
			if !slices.Equal(order, want) {
				t.Errorf("side order %v, want %v (alternating first side per block)", order, want)
			}
			if !slices.Equal(perSide["api"], perSide["driver"]) || len(perSide["api"]) != requests {
				t.Errorf("measured requests differ: api %v, driver %v", perSide["api"], perSide["driver"])
			}
		})
	}
}
