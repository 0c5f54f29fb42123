package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestImportEndpointFTM: POST /v1/imports takes FollowTheMoney lines when
// the name ends .ftm.json, when format=ftm, or when the Content-Type is
// application/vnd.ftm+json.
func TestImportEndpointFTM(t *testing.T) {
	w := wire(t, nil)
	// FtM ids and the dataset carry the test's prefix (without its colon,
	// which dataset names may not hold), so the clean-up finds them.
	uniq := strings.TrimSuffix(w.prefix, ":")
	neo4jtest.Cleanup(t, w.db, "ftm:"+w.prefix)
	neo4jtest.Cleanup(t, w.db, "source:ftm:"+uniq)
	body := fmt.Sprintf(`{"id":"%[1]so1","schema":"Ownership","properties":{"owner":["%[1]sp"],"asset":["%[1]sc"]},"datasets":["%[2]s"],"first_seen":"2025-10-14"}
{"id":"%[1]sp","schema":"Person","properties":{"name":["CHEN Zhi"]},"datasets":["%[2]s"],"first_seen":"2025-10-14"}
{"id":"%[1]sc","schema":"Company","properties":{"name":["PRINCE HOLDING GROUP"]},"datasets":["%[2]s"],"first_seen":"2025-10-14"}
`, w.prefix, uniq)
	key := w.keys[graph.RoleImporter]
	var runs []string
	t.Cleanup(func() { deleteRuns(t, w.db, runs...) })
	tests := []struct {
		name, target string
		headers      []string
		status       int
		created      int // entities: the two and the dataset's source
	}{
		{"by name", "/v1/imports?dry_run=true&name=entities.ftm.json", nil, http.StatusOK, 3},
		{"by format", "/v1/imports?dry_run=true&format=ftm&name=entities.json", nil, http.StatusOK, 3},
		{"by Content-Type", "/v1/imports?name=entities.json", []string{"Content-Type", "application/vnd.ftm+json"}, http.StatusCreated, 3},
		{"again changes nothing", "/v1/imports?name=entities.ftm.json", nil, http.StatusCreated, 0},
		{"a .json name alone says no format", "/v1/imports?dry_run=true&name=entities.json", nil, http.StatusBadRequest, 0},
		{"icij is CLI only", "/v1/imports?dry_run=true&format=icij&name=entities.json", nil, http.StatusBadRequest, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := w.do("POST", tc.target, key, strings.NewReader(body), tc.headers...)
			if rec.Code != tc.status {
				t.Fatalf("%d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.status >= 400 {
				return
			}
			var rep graph.ImportReport
			if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			runs = append(runs, rep.RunIDs...)
			if rep.Entities.Created != tc.created || rep.Files[0].Format != "ftm" || rep.Rejected != 0 {
				t.Errorf("report %+v", rep)
			}
		})
	}
	t.Run("the ownership is stored", func(t *testing.T) {
		m, err := w.db.ExistingIDs(context.Background(), []string{"ftm:" + w.prefix + "p", "source:ftm:" + uniq})
		if err != nil || len(m) != 2 {
			t.Fatalf("%v %v", m, err)
		}
	})
}
