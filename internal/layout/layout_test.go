// Package layout_test checks the boundaries the project's layout promises
// (README, docs/contributing.md): who may import the Neo4j driver, what the
// domain may import, and which packages never see each other. It reads the
// import graph with `go list`, production and test imports alike.
package layout_test

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/scamgraph/scamgraph/"

// imports is every package of the module with what it and its tests import.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f",
		`{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`, module+"...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		pkgs[strings.TrimPrefix(f[0], module)] = f[1:]
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	return pkgs
}

func under(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }

func TestLayout(t *testing.T) {
	pkgs := imports(t)
	for _, tc := range []struct {
		name string
		// bad says whether package pkg may not import imp.
		bad func(pkg, imp string) bool
	}{
		{"only graph/neo4jdb imports the Neo4j driver", func(pkg, imp string) bool {
			return strings.HasPrefix(imp, "github.com/neo4j/") && !under(pkg, "graph/neo4jdb")
		}},
		{"the domain imports the standard library, itself and small pure libraries only", func(pkg, imp string) bool {
			if !under(pkg, "graph") || under(pkg, "graph/neo4jdb") {
				return false
			}
			if !strings.Contains(strings.Split(imp, "/")[0], ".") { // the standard library
				return false
			}
			if i, ours := strings.CutPrefix(imp, module); ours {
				return !under(i, "graph") || under(i, "graph/neo4jdb")
			}
			return imp != "github.com/hbollon/go-edlib" && imp != "github.com/mozillazg/go-unidecode"
		}},
		{"importer and api never import each other", func(pkg, imp string) bool {
			i := strings.TrimPrefix(imp, module)
			return (under(pkg, "importer") && under(i, "api")) || (under(pkg, "api") && under(i, "importer"))
		}},
		{"the parts of graph/neo4jdb are seen only through it", func(pkg, imp string) bool {
			i := strings.TrimPrefix(imp, module)
			return strings.HasPrefix(i, "graph/neo4jdb/") && !under(pkg, "graph/neo4jdb")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checked := 0
			for pkg, imps := range pkgs {
				for _, imp := range imps {
					checked++
					if tc.bad(pkg, imp) {
						t.Errorf("%s imports %s", pkg, imp)
					}
				}
			}
			if checked == 0 {
				t.Fatal("no imports checked")
			}
		})
	}
}
