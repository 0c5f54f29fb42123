package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scamgraph/scamgraph/api/guard"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/config"
)

// keysUsage is the keys command's help; TTL stands for the key cache's
// lifetime, how long a running server may still accept a revoked key.
var keysUsage = strings.ReplaceAll(`Usage:
  scamgraph keys create --role ROLE --name NAME   make a key; prints it once
  scamgraph keys list [--json]                    list keys (never the keys themselves)
  scamgraph keys revoke ID                        refuse a key (running servers: within TTL)

API keys let people and programs call the investigator API. Send one as
  Authorization: Bearer sg_…
Each key has one role:

  reader    search, entities, neighbours, paths, investigations; victims
            appear with pseudonyms and without personal details
  analyst   reader + POST /v1/cypher (read-only Cypher) + victims' personal
            details (age, origin, descriptions)
  importer  reader + POST /v1/imports; no Cypher, no personal details
  admin     everything

Give each person or program its own key, with the least role that does the
job, and a name that says who holds it ("AFP desk laptop"): the audit log
records the key id and name with every request. The key is printed once,
as the last line of "keys create"; only its SHA-256 hash is stored, so a
lost key cannot be shown again: revoke it and create another.

A revoked key is refused at once by servers started afterwards; a running
server remembers a good key for TTL (its key cache), so it refuses the key
within TTL. Restart the servers to cut a leaked key off at once.

Examples:
  scamgraph keys create --role reader --name "Phnom Penh desk"
  KEY=$(scamgraph keys create --role importer --name "nightly import" | tail -n 1)
  scamgraph keys list
  scamgraph keys list --json | jq -r '.[] | select(.revoked_at == null) | .id'
  scamgraph keys revoke key_3f9a1c2e5b7d8f00

Exit status: 0 done; 1 a failure (Neo4j unreachable, no such key); 2 bad usage.
`, "TTL", guard.DefaultKeyCacheTTL.String())

func keysCmd(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, keysUsage)
		return usageError("keys: say create, list or revoke")
	}
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("keys "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, keysUsage) }
	var role, name *string
	var asJSON *bool
	switch sub {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, keysUsage)
		return nil
	case "create":
		role = fs.String("role", "", "the key's role: "+graph.RoleList())
		name = fs.String("name", "", "who or what holds the key, for listings and the audit log")
	case "list":
		asJSON = fs.Bool("json", false, "print the keys as a JSON array (for scripts)")
	case "revoke":
	default:
		fmt.Fprint(stderr, keysUsage)
		return usageError("keys: unknown subcommand %q (want create, list or revoke)", sub)
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError("keys %s: %v", sub, err)
	}

	var r graph.Role
	switch sub {
	case "create":
		if fs.NArg() > 0 {
			return usageError("keys create: unexpected argument %q (quote a name with spaces: --name \"AFP desk\")", fs.Arg(0))
		}
		var ok bool
		if r, ok = graph.ParseRole(*role); !ok {
			return usageError("keys create: --role must be one of %s", graph.RoleList())
		}
		if err := graph.ValidateKeyName(strings.TrimSpace(*name)); err != nil {
			return usageError("keys create: --%s", graph.ErrorMessage(err))
		}
	case "list":
		if fs.NArg() > 0 {
			return usageError("keys list takes no arguments")
		}
	case "revoke":
		if fs.NArg() != 1 {
			return usageError("keys revoke: name one key id (see scamgraph keys list)")
		}
		if err := graph.ValidateKeyID(fs.Arg(0)); err != nil {
			return usageError("keys revoke: %s", graph.ErrorMessage(err))
		}
	}

	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	if err := db.ApplySchema(ctx); err != nil {
		return err
	}

	switch sub {
	case "create":
		plain, key, err := db.CreateKey(ctx, *name, r)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Created key %s with role %s for %q.\n", key.ID, key.Role, key.Name)
		fmt.Fprintln(stdout, "This is the only time the key is shown (only its hash is stored); keep it in a password manager:")
		fmt.Fprintln(stdout, plain)
		return nil
	case "list":
		keys, err := db.ListKeys(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(keys)
		}
		return printKeys(stdout, keys)
	default: // revoke
		id := fs.Arg(0)
		if err := db.RevokeKey(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Revoked key %s: new servers refuse it at once; running servers remember a good key\n"+
			"for %s and refuse it within %[2]s (restart them to cut it off at once).\n", id, guard.DefaultKeyCacheTTL)
		return nil
	}
}

func printKeys(w io.Writer, keys []graph.APIKey) error {
	if len(keys) == 0 {
		_, err := fmt.Fprintln(w, "No keys yet. Create one with: scamgraph keys create --role reader --name NAME")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPREFIX\tROLE\tSTATUS\tCREATED\tLAST USED\tNAME")
	day := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04")
	}
	for _, k := range keys {
		status := "active"
		if k.Revoked() {
			status = "revoked " + k.RevokedAt.UTC().Format("2006-01-02")
		}
		created := k.CreatedAt
		fmt.Fprintf(tw, "%s\t%s…\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Role, status, day(&created), day(k.LastUsedAt), k.Name)
	}
	return tw.Flush()
}
