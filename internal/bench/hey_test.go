package bench_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/internal/bench"
)

func TestParseHey(t *testing.T) {
	full, err := os.ReadFile("testdata/hey-summary.txt")
	if err != nil {
		t.Fatal(err)
	}
	// What hey v0.1.5 prints: its latency lines read "50%% in" (a doubled %).
	real, err := os.ReadFile("testdata/hey-v0.1.5.txt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      string
		want    bench.HeyResult
		wantErr string
	}{
		{name: "full summary", in: string(full), want: bench.HeyResult{Seconds: 10.0213, PerSecond: 180.6152, Requests: 1812,
			Errors: 7, P50: 38, P99: 200.4, StatusCodes: "200:1805 503:5"}},
		{name: "hey v0.1.5 as it prints", in: string(real), want: bench.HeyResult{Seconds: 1.0022, PerSecond: 517.8683, Requests: 519,
			P50: 3.9, P99: 7.5, StatusCodes: "200:519"}},
		{name: "all answered", in: "Summary:\n  Total:\t1.0000 secs\n  Requests/sec:\t50.0000\nStatus code distribution:\n  [200]\t50 responses\n",
			want: bench.HeyResult{Seconds: 1, PerSecond: 50, Requests: 50, StatusCodes: "200:50"}},
		{name: "nothing answered", in: "\nError distribution:\n  [8]\tGet \"http://x\": connection refused\n", wantErr: "no Requests/sec"},
		{name: "bad rate", in: "Summary:\n  Requests/sec:\tfast\n", wantErr: "requests/sec"},
		{name: "bad status line", in: "Summary:\n  Requests/sec:\t1\nStatus code distribution:\n  [200\t5 responses\n", wantErr: "status code distribution line"},
		{name: "empty", in: "", wantErr: "no Requests/sec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bench.ParseHey(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !near(got.P50, tt.want.P50) || !near(got.P99, tt.want.P99) {
				t.Fatalf("p50/p99 = %v/%v, want %v/%v", got.P50, got.P99, tt.want.P50, tt.want.P99)
			}
			got.P50, got.P99 = tt.want.P50, tt.want.P99
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }

func FuzzParseHey(f *testing.F) {
	if full, err := os.ReadFile("testdata/hey-summary.txt"); err == nil {
		f.Add(string(full))
	}
	f.Add("Summary:\n  Requests/sec:\t1\nStatus code distribution:\n  [200]\t5 responses\n")
	f.Add("Error distribution:\n  [-1]\tx\n")
	f.Fuzz(func(t *testing.T, in string) {
		r, err := bench.ParseHey(strings.NewReader(in))
		if err != nil {
			return
		}
		if r.Requests < 0 || r.Errors < 0 || r.Errors > r.Requests {
			t.Fatalf("inconsistent counts %+v from %q", r, in)
		}
	})
}
