package neo4jdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// GraphDigest hashes every node whose id starts with prefix (labels and
// every property, timestamps included) and every relationship touching one
// (type, ends and every property), for tests that need "exactly as before".
// Lines is the text hashed, sorted, for a readable diff.
func GraphDigest(ctx context.Context, db *DB, prefix string) (digest string, lines []string, err error) {
	res, err := db.c.Read(ctx, `
MATCH (n:Entity) WHERE n.id STARTS WITH $p
OPTIONAL MATCH (n)-[r]->(m)
RETURN n, type(r) AS type, r, m.id AS to`, map[string]any{"p": prefix})
	if err != nil {
		return "", nil, err
	}
	seen := map[string]bool{}
	for _, rec := range res.Records {
		n, _, _ := neo4j.GetRecordValue[neo4j.Node](rec, "n")
		labels := append([]string(nil), n.Labels...)
		sort.Strings(labels)
		node := fmt.Sprintf("node %v %s", labels, props(n.Props))
		if !seen[node] {
			seen[node] = true
			lines = append(lines, node)
		}
		if r, isNil, _ := neo4j.GetRecordValue[neo4j.Relationship](rec, "r"); !isNil {
			to, _, _ := neo4j.GetRecordValue[string](rec, "to")
			lines = append(lines, fmt.Sprintf("rel %v-[%s]->%s %s", n.Props["id"], r.Type, to, props(r.Props)))
		}
	}
	sort.Strings(lines)
	h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(h[:]), lines, nil
}

func props(p map[string]any) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v;", k, p[k])
	}
	return b.String()
}
