package importer_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/generate"
)

// scanTrace is everything fn saw, and what the scan returned.
type scanTrace struct {
	seen []string
	last int
	err  string
}

func traceScan(t testing.TB, input []byte, maxLine, workers, chunkLines, stopAt int, r io.Reader) scanTrace {
	t.Helper()
	if r == nil {
		r = bytes.NewReader(input)
	}
	var tr scanTrace
	calls := 0
	last, err := importer.ScanLinesWith(r, maxLine, workers, chunkLines, importer.NDJSONRecords, func(line int, rec importer.Record, err error) error {
		calls++
		switch {
		case err != nil:
			tr.seen = append(tr.seen, fmt.Sprintf("%d error %v", line, err))
		case rec.Entity != nil:
			tr.seen = append(tr.seen, fmt.Sprintf("%d/%d entity %s", line, rec.Line, rec.Entity.ID))
		default:
			tr.seen = append(tr.seen, fmt.Sprintf("%d/%d relationship %s", line, rec.Line, rec.Relationship.ID))
		}
		if calls == stopAt {
			return errStop
		}
		return nil
	})
	tr.last = last
	if err != nil {
		tr.err = err.Error()
	}
	return tr
}

var errStop = errors.New("stop here")

// failingReader returns its data, then err.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

// TestScanParallelIsSequential: the parallel NDJSON scan hands fn the
// same lines, records, errors and end as the sequential one, at every
// chunk boundary, when fn stops it, and when the reader fails.
func TestScanParallelIsSequential(t *testing.T) {
	var many strings.Builder
	for i := range 1000 {
		switch i % 5 {
		case 0:
			many.WriteString(srcLine)
		case 1:
			many.WriteString(strings.Replace(entLine, "person:ly-kuong", fmt.Sprintf("person:p%d", i), 1))
		case 2:
			many.WriteString(relLine)
		case 3:
			many.WriteString(`{"record":"entity"}`)
		default:
			many.WriteString(strings.Repeat("x", 300)) // over maxLine below
		}
		many.WriteString("\n")
	}
	cases := []struct {
		name   string
		input  string
		stopAt int
		fail   bool
	}{
		{name: "empty", input: ""},
		{name: "one line without newline", input: srcLine},
		{name: "truncated last line", input: srcLine + "\n" + entLine[:40]},
		{name: "trailing whitespace", input: srcLine + "\n  \n"},
		{name: "byte order mark", input: "\xEF\xBB\xBF" + srcLine + "\n"},
		{name: "blank line inside", input: srcLine + "\n\n" + entLine + "\n"},
		{name: "crlf", input: srcLine + "\r\n" + entLine + "\r\n"},
		{name: "many lines", input: many.String()},
		{name: "fn stops the scan", input: many.String(), stopAt: 517},
		{name: "fn stops at the first line", input: many.String(), stopAt: 1},
		{name: "reader fails", input: many.String(), fail: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reader := func() io.Reader {
				if tc.fail {
					return &failingReader{r: strings.NewReader(tc.input), err: errors.New("disk gone")}
				}
				return nil
			}
			want := traceScan(t, []byte(tc.input), 200, 1, 0, tc.stopAt, reader())
			if tc.fail && !strings.Contains(want.err, "disk gone") {
				t.Fatalf("sequential scan: err %q, want the reader's", want.err)
			}
			if tc.stopAt > 0 && want.err != errStop.Error() {
				t.Fatalf("sequential scan: err %q, want %q", want.err, errStop)
			}
			for _, workers := range []int{2, 3, 8} {
				for _, chunk := range []int{0, 1, 2, 7, 256} {
					got := traceScan(t, []byte(tc.input), 200, workers, chunk, tc.stopAt, reader())
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Fatalf("workers %d, chunks of %d: got last %d, err %q, %d calls; want last %d, err %q, %d calls\nfirst difference: %s",
							workers, chunk, got.last, got.err, len(got.seen), want.last, want.err, len(want.seen), firstDiff(got.seen, want.seen))
					}
				}
			}
		})
	}
}

// TestScanParallelEndsItsGoroutines: a scan stopped by fn leaves no
// goroutine behind.
func TestScanParallelEndsItsGoroutines(t *testing.T) {
	var in strings.Builder
	for range 20000 {
		in.WriteString(srcLine + "\n")
	}
	before := runtime.NumGoroutine()
	for range 20 {
		tr := traceScan(t, []byte(in.String()), 4096, 4, 16, 3, nil)
		if tr.err != errStop.Error() || tr.last != 3 {
			t.Fatalf("stopped scan: last %d, err %q", tr.last, tr.err)
		}
	}
	noGoroutinesLeft(t, before, "the stopped scans")
}

// TestScanParallelPanicsInTheCaller: a parse that panics panics in the
// calling goroutine, after the lines before it were handed over, as the
// sequential scan does, and leaves no goroutine behind.
func TestScanParallelPanicsInTheCaller(t *testing.T) {
	var in strings.Builder
	for i := range 2000 {
		if i == 1234 {
			in.WriteString("boom\n")
			continue
		}
		in.WriteString(srcLine + "\n")
	}
	parse := func(b []byte) ([]importer.Record, error) {
		if bytes.HasPrefix(b, []byte("boom")) {
			panic("parser bug")
		}
		return importer.NDJSONRecords(b)
	}
	before := runtime.NumGoroutine()
	for _, workers := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("%d workers", workers), func(t *testing.T) {
			seen := 0
			var got any
			func() {
				defer func() { got = recover() }()
				_, _ = importer.ScanLinesWith(strings.NewReader(in.String()), 4096, workers, 16, parse, func(int, importer.Record, error) error {
					seen++
					return nil
				})
			}()
			if got != "parser bug" || seen != 1234 {
				t.Fatalf("recovered %v after %d lines, want the parser's panic after 1234", got, seen)
			}
		})
	}
	noGoroutinesLeft(t, before, "the panicking scans")
}

// noGoroutinesLeft waits up to 5 s for the goroutine count to fall back
// to before, and fails the test when it does not.
func noGoroutinesLeft(t *testing.T, before int, after string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after %s, %d before", n, after, before)
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("call %d: %q against %q", i, a[i], b[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(a), len(b))
}

// FuzzScanParallel: on any input, the parallel scan is the sequential one.
func FuzzScanParallel(f *testing.F) {
	f.Add([]byte(srcLine+"\n"+entLine+"\n"+relLine), 3)
	f.Add([]byte("\xEF\xBB\xBF"+srcLine+"\r\n\n  "), 1)
	f.Add([]byte(strings.Repeat(srcLine+"\n", 40)+"{"), 5)
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		chunk = 1 + (chunk%64+64)%64
		want := traceScan(t, data, 512, 1, 0, 0, nil)
		got := traceScan(t, data, 512, 3, chunk, 0, nil)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("chunks of %d: %s", chunk, firstDiff(got.seen, want.seen))
		}
	})
}

// BenchmarkScanNDJSON parses the generator's NDJSON (20,000 entities and
// their relationships) sequentially and on every core.
func BenchmarkScanNDJSON(b *testing.B) {
	dir := b.TempDir()
	if _, err := generate.WriteAll(generate.Config{Entities: 20000, Seed: 1}, dir, []string{"ndjson"}); err != nil {
		b.Fatal(err)
	}
	var data []byte
	for _, f := range []string{"entities.ndjson", "relationships.ndjson"} {
		raw, err := os.ReadFile(dir + "/ndjson/" + f)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, raw...)
	}
	for _, bc := range []struct {
		name    string
		workers int
	}{{"sequential", 1}, {"parallel", runtime.GOMAXPROCS(0)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				n := 0
				_, err := importer.ScanLinesWith(bytes.NewReader(data), importer.DefaultMaxLineBytes, bc.workers, 256, importer.NDJSONRecords, func(int, importer.Record, error) error {
					n++
					return nil
				})
				if err != nil || n == 0 {
					b.Fatalf("scan: %d records, %v", n, err)
				}
			}
		})
	}
}
