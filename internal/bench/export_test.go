package bench

import (
	"context"
	"strconv"
	"time"
)

// Case is a query case as the tests see it.
type Case struct {
	Name string
	At   func(i int) Call
}

// Call is one request of a case: its URL, its domain query and the driver
// side's call.
type Call struct {
	URL   string
	Query any
	Run   func(ctx context.Context) error
}

// Cases are the benchmark's cases over the given ids and store.
func Cases(tycoons, compounds, companies []string, st Store) []Case {
	var out []Case
	for _, qc := range buildCases(sample{tycoons: tycoons, compounds: compounds, companies: companies}, st) {
		out = append(out, Case{Name: qc.name, At: func(i int) Call {
			c := qc.at(i)
			return Call{URL: c.url, Query: c.query, Run: c.run}
		}})
	}
	return out
}

// Compare runs compare over a case whose request i has URL fmt.Sprint(i),
// with sides that see that URL.
func Compare(clients, requests int, driverFirst bool, api, driver func(url string) (time.Duration, error)) QueryResult {
	qc := queryCase{name: "test", at: func(i int) call { return call{url: strconv.Itoa(i)} }}
	side := func(f func(string) (time.Duration, error)) sideFunc {
		return func(_ context.Context, c call) error {
			d, err := f(c.url)
			time.Sleep(d)
			return err
		}
	}
	return compare(context.Background(), qc, clients, requests, driverFirst, side(api), side(driver))
}

// Median is the median of run times.
var Median = median
