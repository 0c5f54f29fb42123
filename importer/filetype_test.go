package importer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/importer"
)

// A file whose name says no format is refused with every ending that does
// and the way to name the format: an Aleph export.json is FtM, not "want
// .ndjson, .jsonl or .csv".
func TestUnsupportedFileTypeSaysHow(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, file string }{
		{"json without ftm", "export.json"},
		{"gexf", "network.gexf"},
		{"no extension", "report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.file)
			if err := os.WriteFile(p, []byte("{}\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := importer.Expand([]string{p})
			if err == nil {
				t.Fatalf("Expand(%s) accepted it", tt.file)
			}
			for _, want := range []string{tt.file, ".ndjson", ".csv", ".ftm.json", "format"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}
