package graph

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what an API key may do. Roles are not a linear order: an importer
// may load reports but may not run Cypher or see victims' personal details;
// see Allows.
type Role string

// The roles.
const (
	RoleReader   Role = "reader"   // the read and investigation API
	RoleAnalyst  Role = "analyst"  // reader + POST /v1/cypher + victims' personal fields
	RoleImporter Role = "importer" // reader + POST /v1/imports
	RoleAdmin    Role = "admin"    // everything
)

// roleGrants is the permission table: the roles whose rights each role
// includes. A role always includes itself; admin includes every role.
var roleGrants = map[Role][]Role{
	RoleReader:   {RoleReader},
	RoleAnalyst:  {RoleAnalyst, RoleReader},
	RoleImporter: {RoleImporter, RoleReader},
	RoleAdmin:    {RoleAdmin, RoleAnalyst, RoleImporter, RoleReader},
}

// Roles lists the roles, least privileged first.
func Roles() []Role { return []Role{RoleReader, RoleAnalyst, RoleImporter, RoleAdmin} }

// ParseRole returns the role named s (case-insensitive) or false.
func ParseRole(s string) (Role, bool) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	_, ok := roleGrants[r]
	return r, ok
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { _, ok := roleGrants[r]; return ok }

// Allows reports whether a key of role r may do what needs role need:
// RoleAnalyst.Allows(RoleReader) is true, RoleImporter.Allows(RoleAnalyst)
// is false. Unknown roles allow nothing and are allowed by nothing but admin.
//
// need may name alternatives, "importer|analyst": any one of them will do.
func (r Role) Allows(need Role) bool {
	if alts := strings.Split(string(need), "|"); len(alts) > 1 {
		return slices.ContainsFunc(alts, func(a string) bool { return r.Allows(Role(a)) })
	}
	for _, g := range roleGrants[r] {
		if g == need {
			return true
		}
	}
	return false
}

// SeesVictimPersonal reports whether r may see victims' personal details
// (real names, ages, origins, descriptions): analysts and admins.
func (r Role) SeesVictimPersonal() bool { return r.Allows(RoleAnalyst) }

// RoleList is the roles as "reader, analyst, importer, admin", for messages.
func RoleList() string {
	var out []string
	for _, r := range Roles() {
		out = append(out, string(r))
	}
	return strings.Join(out, ", ")
}

// APIKey is a stored API key. The secret itself is never stored: only its
// SHA-256 hash (in the store) and Prefix, its first characters, so a holder
// can tell which listed key is theirs.
type APIKey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Role       Role       `json:"role"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Revoked reports whether the key has been revoked.
func (k APIKey) Revoked() bool { return k.RevokedAt != nil }

// Principal is who a request acts for: the key that authenticated it.
type Principal struct {
	KeyID string `json:"key_id"`
	Name  string `json:"name"`
	Role  Role   `json:"role"`
}

// KeyStore keeps API keys.
type KeyStore interface {
	// CreateKey makes a new key and returns its plaintext, which is not
	// kept anywhere and cannot be shown again.
	CreateKey(ctx context.Context, name string, role Role) (plaintext string, key APIKey, err error)
	// ListKeys returns every key, revoked ones included, oldest first.
	ListKeys(ctx context.Context) ([]APIKey, error)
	// RevokeKey revokes a key by id (CodeNotFound when there is none).
	// Revoking a revoked key is not an error.
	RevokeKey(ctx context.Context, id string) error
	// Authenticate returns the principal of a valid, unrevoked key and
	// CodeUnauthorized for anything else.
	Authenticate(ctx context.Context, plaintext string) (Principal, error)
}

// Key format: KeyPrefix followed by the unpadded base64url encoding of
// KeyBytes random bytes.
const (
	KeyPrefix     = "sg_"
	KeyBytes      = 32
	KeyIDPrefix   = "key_"
	MaxKeyNameLen = 100
	// keyShownChars is how much of the plaintext is stored as APIKey.Prefix:
	// "sg_" and 8 characters (48 of the 256 random bits), enough to tell
	// keys apart, far too little to guess the rest.
	keyShownChars = len(KeyPrefix) + 8
)

var keyEncoding = base64.RawURLEncoding

// NewKey makes a new random key: its plaintext, the hash a store keeps,
// the non-secret prefix for listings and a random id.
func NewKey() (plaintext, hash, prefix, id string, err error) {
	b := make([]byte, KeyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", "", "", fmt.Errorf("new key: %w", err)
	}
	plaintext = KeyPrefix + keyEncoding.EncodeToString(b)
	idb := make([]byte, 8)
	if _, err := rand.Read(idb); err != nil {
		return "", "", "", "", fmt.Errorf("new key id: %w", err)
	}
	return plaintext, HashKey(plaintext), plaintext[:keyShownChars], KeyIDPrefix + hex.EncodeToString(idb), nil
}

// HashKey is the stored form of a key: the hex SHA-256 of its plaintext.
// A fast hash is right here: keys are 256 random bits, so there is nothing
// to brute-force that a slow password hash would protect.
func HashKey(plaintext string) string {
	sum := sha256.Sum256([]byte(plaintext))
	return hex.EncodeToString(sum[:])
}

// CheckKeyFormat reports whether s looks like a key NewKey made, so that
// stores can refuse junk without a lookup. It says nothing about whether
// the key exists.
func CheckKeyFormat(s string) error {
	if !strings.HasPrefix(s, KeyPrefix) {
		return Errorf(CodeUnauthorized, "", "the API key is malformed (want %s followed by 43 characters)", KeyPrefix)
	}
	b, err := keyEncoding.DecodeString(s[len(KeyPrefix):])
	if err != nil || len(b) != KeyBytes {
		return Errorf(CodeUnauthorized, "", "the API key is malformed (want %s followed by 43 characters)", KeyPrefix)
	}
	return nil
}

// ValidateKeyName checks the human label of a key ("newsroom laptop").
func ValidateKeyName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return Errorf(CodeInvalid, "name", "is required: say who or what holds the key")
	case !utf8.ValidString(name):
		return Errorf(CodeInvalid, "name", "is not valid UTF-8")
	case len(name) > MaxKeyNameLen:
		return Errorf(CodeInvalid, "name", "is longer than %d bytes", MaxKeyNameLen)
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return Errorf(CodeInvalid, "name", "contains control characters")
	}
	return nil
}

// ValidateKeyID checks a key id as given to RevokeKey.
func ValidateKeyID(id string) error {
	rest, ok := strings.CutPrefix(id, KeyIDPrefix)
	if !ok || len(rest) != 16 {
		return Errorf(CodeInvalid, "id", "%q is not a key id (want %s and 16 hex digits, as `scamgraph keys list` shows)", id, KeyIDPrefix)
	}
	if _, err := hex.DecodeString(rest); err != nil {
		return Errorf(CodeInvalid, "id", "%q is not a key id (want %s and 16 hex digits, as `scamgraph keys list` shows)", id, KeyIDPrefix)
	}
	return nil
}

// ErrUnknownKey is the one answer for a key that does not exist or was
// revoked: the two are not told apart.
func ErrUnknownKey() error {
	return Errorf(CodeUnauthorized, "", "the API key is not valid (unknown or revoked)")
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal a context carries, if any.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// RoleFrom returns the role of the context's principal, or "" (which
// allows nothing) when there is none.
func RoleFrom(ctx context.Context) Role {
	p, _ := PrincipalFrom(ctx)
	return p.Role
}

// VictimPublicProperties are the only properties of a victim node shown to
// roles that may not see personal details. Everything else (description,
// age, origin, free properties) may identify a person and is dropped.
var VictimPublicProperties = []string{"cohort", "count", "nationality", "pseudonym"}

// WithheldVictimName replaces the name of an individual victim that has no
// pseudonym, for roles that may not see personal details.
const WithheldVictimName = "(victim; name withheld)"

// RedactVictim returns e as role may see it. Non-victims, and any entity
// for roles that SeesVictimPersonal, come back unchanged. For a victim it
// keeps id, kinds, sources and VictimPublicProperties; drops aliases; and
// replaces the name with the pseudonym when there is one, keeps it for a
// cohort (a description of a group, not a person) and withholds it
// otherwise. e itself is not modified.
func RedactVictim(e Entity, role Role) Entity {
	if !e.HasKind(KindVictim) || role.SeesVictimPersonal() {
		return e
	}
	out := Entity{ID: e.ID, Kinds: e.Kinds, Sources: e.Sources, Aliases: []string{},
		Properties: make(map[string]Value, len(VictimPublicProperties))}
	for _, k := range VictimPublicProperties {
		if v, ok := e.Properties[k]; ok && !PropertySpecs[k].Personal {
			out.Properties[k] = v
		}
	}
	switch p, cohort := e.Properties["pseudonym"], e.Properties["cohort"]; {
	case p.Type == TypeString && p.S != "":
		out.Name = p.S
	case cohort.Type == TypeBool && cohort.B:
		out.Name = e.Name
	default:
		out.Name = WithheldVictimName
	}
	return out
}

// RedactSubgraph applies RedactVictim to every node and, for roles that may
// not see personal details, drops the free properties of every edge that
// touches a victim (they may describe the person: pay, injuries, dates of
// birth). The input is not modified.
func RedactSubgraph(g Subgraph, role Role) Subgraph {
	if role.SeesVictimPersonal() {
		return g
	}
	out := g
	out.Nodes = make([]Entity, len(g.Nodes))
	victims := map[string]bool{}
	for i, n := range g.Nodes {
		out.Nodes[i] = RedactVictim(n, role)
		if n.HasKind(KindVictim) {
			victims[n.ID] = true
		}
	}
	out.Edges = make([]Relationship, len(g.Edges))
	for i, r := range g.Edges {
		if victims[r.From] || victims[r.To] {
			r.Properties = map[string]Value{}
		}
		out.Edges[i] = r
	}
	return out
}

// SortKeys orders keys oldest first, then by id.
func SortKeys(keys []APIKey) {
	sort.Slice(keys, func(i, j int) bool {
		if !keys[i].CreatedAt.Equal(keys[j].CreatedAt) {
			return keys[i].CreatedAt.Before(keys[j].CreatedAt)
		}
		return keys[i].ID < keys[j].ID
	})
}
