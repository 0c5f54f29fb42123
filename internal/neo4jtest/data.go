package neo4jtest

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
)

// SampleDir is the repository's sample dataset, found from any package
// directory.
func SampleDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "data", "sample")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("data/sample not found above the working directory")
		}
		dir = parent
	}
}

// PrefixedCopy copies the import files of src into a temporary directory
// with every entity id (and every reference to one) prefixed, so a test can
// import the sample data without touching anyone else's.
func PrefixedCopy(t testing.TB, src, prefix string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		in := filepath.Join(src, e.Name())
		out := filepath.Join(dst, e.Name())
		switch filepath.Ext(e.Name()) {
		case ".ndjson", ".jsonl":
			prefixNDJSON(t, in, out, prefix)
		case ".csv":
			prefixCSV(t, in, out, prefix)
		}
	}
	return dst
}

func prefixNDJSON(t testing.TB, in, out, prefix string) {
	t.Helper()
	b, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		for _, k := range []string{"id", "from", "to"} {
			if s, ok := rec[k].(string); ok && s != "" {
				rec[k] = prefix + s
			}
		}
		if l, ok := rec["sources"].([]any); ok {
			for i, s := range l {
				l[i] = prefix + s.(string)
			}
		}
		nb, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(nb))
	}
	if err := os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func prefixCSV(t testing.TB, in, out, prefix string) {
	t.Helper()
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", in, err)
	}
	for c, h := range rows[0] {
		switch strings.TrimSpace(h) {
		case "id", "from", "to":
			for _, r := range rows[1:] {
				if r[c] != "" {
					r[c] = prefix + r[c]
				}
			}
		case "sources":
			for _, r := range rows[1:] {
				if r[c] == "" {
					continue
				}
				parts := strings.Split(r[c], "|")
				for i := range parts {
					parts[i] = prefix + parts[i]
				}
				r[c] = strings.Join(parts, "|")
			}
		}
	}
	o, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(o)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
}

// Snapshot renders every entity under prefix and its outgoing relationships
// as sorted JSON lines with the prefix removed, so two graphs imported under
// different prefixes compare equal exactly when they hold the same facts.
// Timestamps are not part of it.
func Snapshot(t testing.TB, db *neo4jdb.DB, prefix string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out []string
	strip := func(s string) string { return strings.ReplaceAll(s, prefix, "") }
	err := db.Export(ctx, prefix, func(e graph.Entity, rels []graph.Relationship) error {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		out = append(out, strip(string(b)))
		for _, r := range rels {
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			out = append(out, strip(string(b)))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("snapshot %s: %v", prefix, err)
	}
	sort.Strings(out)
	return out
}
