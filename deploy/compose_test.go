package deploy_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/scamgraph/scamgraph/internal/config"
)

// Paths from this package's directory (go test runs in deploy/).
const (
	composePath  = "../docker-compose.yml"
	envExample   = "../.env.example"
	launcherPath = "../tools/neo4j-embedded/src/main/java/io/scamgraph/Launcher.java"
)

var scriptPaths = []string{"../scripts/run.sh", "../scripts/neo4j.sh"}

// nonConfigVars are the variables .env.example documents that
// internal/config does not read, with who reads them. Every one must be in
// .env.example and every variable of .env.example must be here or in
// config.Defaults.
var nonConfigVars = map[string]string{
	"NEO4J_DATA_DIR":            "scripts/run.sh, launcher",
	"NEO4J_BOLT_PORT":           "scripts/run.sh, launcher",
	"NEO4J_TX_TIMEOUT":          "launcher, docker-compose.yml",
	"NEO4J_TX_MEMORY_MAX":       "launcher, docker-compose.yml",
	"NEO4J_PAGECACHE":           "launcher, docker-compose.yml",
	"NEO4J_HEAP":                "scripts/neo4j.sh, docker-compose.yml",
	"NEO4J_HEAP_INITIAL":        "scripts/neo4j.sh, docker-compose.yml",
	"NEO4J_JAVA_OPTS":           "scripts/neo4j.sh",
	"NEO4J_BULK_OFF_HEAP":       "scripts/neo4j.sh bulk-import",
	"NEO4J_BULK_OPTS":           "scripts/neo4j.sh bulk-import",
	"BULK":                      "scripts/run.sh (make run BULK=...)",
	"NEO4J_START_TIMEOUT":       "scripts/neo4j.sh",
	"NEO4J_STOP_TIMEOUT":        "scripts/neo4j.sh",
	"NEO4J_RESTART_BACKOFF":     "scripts/neo4j.sh",
	"NEO4J_RESTART_BACKOFF_MAX": "scripts/neo4j.sh",
	"NEO4J_RESTART_RESET":       "scripts/neo4j.sh",
	"JAVA_HOME":                 "scripts/neo4j.sh",
	"JAVA":                      "scripts/neo4j.sh",
	"MVN":                       "scripts/neo4j.sh",
	"SCAMGRAPH_VERSION":         "docker-compose.yml",
}

// ignoredScriptVars are read by the scripts but are not settings.
var ignoredScriptVars = map[string]bool{"TMPDIR": true, "NEO4J_MEMTOTAL_KB": true /* tests of the memory rule */}

// ---- docker-compose.yml ----------------------------------------------------

type composeFile struct {
	Services map[string]service `yaml:"services"`
	Volumes  map[string]any     `yaml:"volumes"`
}

type service struct {
	Image       string               `yaml:"image"`
	Build       any                  `yaml:"build"`
	Command     []string             `yaml:"command"`
	Profiles    []string             `yaml:"profiles"`
	Restart     string               `yaml:"restart"`
	EnvFile     any                  `yaml:"env_file"`
	Environment map[string]string    `yaml:"environment"`
	Volumes     []string             `yaml:"volumes"`
	Ports       []string             `yaml:"ports"`
	DependsOn   map[string]dependsOn `yaml:"depends_on"`
	Healthcheck *healthcheck         `yaml:"healthcheck"`
	User        string               `yaml:"user"`
	ReadOnly    bool                 `yaml:"read_only"`
	CapDrop     []string             `yaml:"cap_drop"`
	SecurityOpt []string             `yaml:"security_opt"`
}

type dependsOn struct {
	Condition string `yaml:"condition"`
}

type healthcheck struct {
	Test     []string `yaml:"test"`
	Interval string   `yaml:"interval"`
	Retries  int      `yaml:"retries"`
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	b, err := os.ReadFile(composePath)
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", composePath, err)
	}
	return c
}

// interpRe matches Compose interpolation: ${NAME}, ${NAME:-default},
// ${NAME-default}, ${NAME:?message}, ${NAME?message}.
var interpRe = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}`)

// interpolate resolves a Compose value the way Compose does with env as
// the environment (.env).
func interpolate(t *testing.T, s string, env map[string]string) string {
	t.Helper()
	return interpRe.ReplaceAllStringFunc(s, func(m string) string {
		p := interpRe.FindStringSubmatch(m)
		name, op, arg := p[1], p[2], p[3]
		v, set := env[name]
		switch op {
		case "":
			return v
		case ":-":
			if v == "" {
				return arg
			}
		case "-":
			if !set {
				return arg
			}
		case ":?", "?":
			if v == "" && (op == ":?" || !set) {
				t.Errorf("Compose would stop: %s is not set (%s)", name, arg)
			}
		}
		return v
	})
}

// setting turns a Neo4j Docker environment variable name into the setting
// it configures: NEO4J_ prefix dropped, "_" is ".", "__" is "_".
func setting(envName string) string {
	s := strings.TrimPrefix(envName, "NEO4J_")
	s = strings.ReplaceAll(s, "__", "\x00")
	s = strings.ReplaceAll(s, "_", ".")
	return strings.ReplaceAll(s, "\x00", "_")
}

func TestSettingName(t *testing.T) {
	for env, want := range map[string]string{
		"NEO4J_db_transaction_timeout":                             "db.transaction.timeout",
		"NEO4J_dbms_security_allow__csv__import__from__file__urls": "dbms.security.allow_csv_import_from_file_urls",
		"NEO4J_server_memory_heap_max__size":                       "server.memory.heap.max_size",
	} {
		if got := setting(env); got != want {
			t.Errorf("setting(%s) = %s, want %s", env, got, want)
		}
	}
}

func TestComposeServices(t *testing.T) {
	c := loadCompose(t)
	env := readEnvExample(t).active()

	svc := func(t *testing.T, name string) service {
		t.Helper()
		s, ok := c.Services[name]
		if !ok {
			t.Fatalf("no service %q", name)
		}
		return s
	}
	namedVolumeAt := func(t *testing.T, s service, target string) {
		t.Helper()
		for _, v := range s.Volumes {
			src, dst, ok := strings.Cut(v, ":")
			dst, _, _ = strings.Cut(dst, ":") // drop :ro and the like
			if ok && dst == target {
				if _, named := c.Volumes[src]; !named {
					t.Errorf("%s is mounted from %q, not a named volume of the top-level volumes:", target, src)
				}
				return
			}
		}
		t.Errorf("nothing is mounted at %s", target)
	}
	dependsOnHealthyNeo4j := func(t *testing.T, s service) {
		t.Helper()
		if got := s.DependsOn["neo4j"].Condition; got != "service_healthy" {
			t.Errorf("depends_on neo4j condition = %q, want service_healthy", got)
		}
	}
	appHardened := func(t *testing.T, s service) {
		t.Helper()
		if u := strings.Split(s.User, ":")[0]; u == "" || u == "0" || u == "root" {
			t.Errorf("user = %q, want a non-root uid", s.User)
		}
		if !s.ReadOnly {
			t.Error("read_only is not true")
		}
		if !slices.Contains(s.CapDrop, "ALL") {
			t.Errorf("cap_drop = %v, want ALL", s.CapDrop)
		}
		if !slices.Contains(s.SecurityOpt, "no-new-privileges:true") {
			t.Errorf("security_opt = %v, want no-new-privileges:true", s.SecurityOpt)
		}
	}
	// appConfig is the configuration the service's container ends up with:
	// .env (a copy of .env.example) overridden by environment:.
	appConfig := func(t *testing.T, s service) config.Config {
		t.Helper()
		if s.EnvFile != ".env" {
			t.Errorf("env_file = %v, want .env", s.EnvFile)
		}
		vars := map[string]string{}
		for k, v := range env {
			vars[k] = v
		}
		for k, v := range s.Environment {
			vars[k] = interpolate(t, v, env)
		}
		cfg, err := config.Load(func(k string) string { return vars[k] })
		if err != nil {
			t.Fatalf("config.Load in the container: %v", err)
		}
		if cfg.Neo4jURI != "bolt://neo4j:7687" {
			t.Errorf("NEO4J_URI = %q, want bolt://neo4j:7687 (the neo4j service)", cfg.Neo4jURI)
		}
		if cfg.Neo4jUser != "neo4j" {
			t.Errorf("NEO4J_USER = %q, want neo4j (the user NEO4J_AUTH creates)", cfg.Neo4jUser)
		}
		if raw := s.Environment["NEO4J_PASSWORD"]; !strings.HasPrefix(raw, "${NEO4J_PASSWORD") {
			t.Errorf("NEO4J_PASSWORD = %q, want it from ${NEO4J_PASSWORD...}, as NEO4J_AUTH, so the two agree", raw)
		}
		return cfg
	}

	cases := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"neo4j/image is 5.26", func(t *testing.T) {
			img := svc(t, "neo4j").Image
			if !regexp.MustCompile(`^neo4j:5\.26(\.\d+)?(-community)?$`).MatchString(img) {
				t.Errorf("image = %q, want neo4j:5.26-community (the version the embedded launcher runs)", img)
			}
		}},
		{"neo4j/data on a named volume", func(t *testing.T) { namedVolumeAt(t, svc(t, "neo4j"), "/data") }},
		{"neo4j/logs on a named volume", func(t *testing.T) { namedVolumeAt(t, svc(t, "neo4j"), "/logs") }},
		{"neo4j/auth from NEO4J_PASSWORD", func(t *testing.T) {
			raw := svc(t, "neo4j").Environment["NEO4J_AUTH"]
			if !strings.HasPrefix(raw, "neo4j/${NEO4J_PASSWORD:?") {
				t.Errorf("NEO4J_AUTH = %q, want neo4j/${NEO4J_PASSWORD:?...}", raw)
			}
			if got := interpolate(t, raw, env); got != "neo4j/"+env["NEO4J_PASSWORD"] {
				t.Errorf("NEO4J_AUTH resolves to %q", got)
			}
		}},
		{"neo4j/no env_file", func(t *testing.T) {
			// The image makes every NEO4J_* variable a setting; .env's
			// NEO4J_URI, NEO4J_HEAP... would stop Neo4j from starting.
			if s := svc(t, "neo4j"); s.EnvFile != nil {
				t.Errorf("env_file = %v; Neo4j would read NEO4J_URI etc. as unknown settings", s.EnvFile)
			}
		}},
		{"neo4j/graph data science plugin", func(t *testing.T) {
			// The embedded launcher carries GDS; the image installs it from NEO4J_PLUGINS.
			if raw := svc(t, "neo4j").Environment["NEO4J_PLUGINS"]; raw != `["graph-data-science"]` {
				t.Errorf(`NEO4J_PLUGINS = %q, want ["graph-data-science"]`, raw)
			}
		}},
		{"neo4j/environment holds only settings", func(t *testing.T) {
			for k := range svc(t, "neo4j").Environment {
				if k == "NEO4J_AUTH" || k == "NEO4J_PLUGINS" {
					continue
				}
				if !strings.HasPrefix(k, "NEO4J_") || !strings.Contains(setting(k), ".") {
					t.Errorf("%s is not a Neo4j setting in Docker form (NEO4J_group_name)", k)
				}
			}
		}},
		{"neo4j/restart policy", func(t *testing.T) {
			if r := svc(t, "neo4j").Restart; r != "unless-stopped" && r != "always" {
				t.Errorf("restart = %q, want unless-stopped or always (brought back after a crash)", r)
			}
		}},
		{"neo4j/exits on OutOfMemoryError", func(t *testing.T) {
			opts := strings.Fields(svc(t, "neo4j").Environment["NEO4J_server_jvm_additional"])
			for _, want := range []string{"-XX:+ExitOnOutOfMemoryError", "-XX:+UseG1GC", "-Dio.netty.tryReflectionSetAccessible=true"} {
				if !slices.Contains(opts, want) {
					t.Errorf("server.jvm.additional = %v, want %s among them", opts, want)
				}
			}
		}},
		{"neo4j/healthcheck", func(t *testing.T) {
			if hc := svc(t, "neo4j").Healthcheck; hc == nil || len(hc.Test) < 2 {
				t.Errorf("healthcheck = %+v, want a test command", hc)
			}
		}},
		{"scamgraph/built from Dockerfile", func(t *testing.T) {
			if svc(t, "scamgraph").Build == nil {
				t.Error("no build:")
			}
			if _, err := os.Stat("../Dockerfile"); err != nil {
				t.Error(err)
			}
		}},
		{"scamgraph/depends on healthy neo4j", func(t *testing.T) { dependsOnHealthyNeo4j(t, svc(t, "scamgraph")) }},
		{"scamgraph/healthcheck on /readyz", func(t *testing.T) {
			hc := svc(t, "scamgraph").Healthcheck
			if hc == nil || !slices.ContainsFunc(hc.Test, func(a string) bool { return strings.HasSuffix(a, ":8080/readyz") }) {
				t.Errorf("healthcheck = %+v, want a request to :8080/readyz", hc)
			}
		}},
		{"scamgraph/restart policy", func(t *testing.T) {
			if r := svc(t, "scamgraph").Restart; r != "unless-stopped" && r != "always" {
				t.Errorf("restart = %q, want unless-stopped or always", r)
			}
		}},
		{"scamgraph/hardened", func(t *testing.T) { appHardened(t, svc(t, "scamgraph")) }},
		{"scamgraph/configuration", func(t *testing.T) {
			s := svc(t, "scamgraph")
			cfg := appConfig(t, s)
			if cfg.HTTPAddr != "0.0.0.0:8080" {
				t.Errorf("HTTP_ADDR = %q, want 0.0.0.0:8080 (reachable through the published port)", cfg.HTTPAddr)
			}
			if !slices.Contains(s.Ports, "127.0.0.1:8080:8080") {
				t.Errorf("ports = %v, want 127.0.0.1:8080:8080", s.Ports)
			}
			// /metrics needs no key: off the API's port, which a proxy publishes.
			if _, port, _ := net.SplitHostPort(cfg.MetricsAddr); port == "" || port == "8080" {
				t.Errorf("METRICS_ADDR = %q, want a port of its own, off the API's 8080", cfg.MetricsAddr)
			}
		}},
		{"import/one-shot profile", func(t *testing.T) {
			s := svc(t, "import")
			if !slices.Equal(s.Profiles, []string{"import"}) {
				t.Errorf("profiles = %v, want [import]", s.Profiles)
			}
			if !slices.Equal(s.Command, []string{"import", "/data/sample"}) {
				t.Errorf("command = %v, want [import /data/sample]", s.Command)
			}
			if s.Restart != "no" {
				t.Errorf("restart = %q, want no", s.Restart)
			}
			if s.Image != svc(t, "scamgraph").Image {
				t.Errorf("image = %q, want the scamgraph service's image", s.Image)
			}
		}},
		{"import/depends on healthy neo4j", func(t *testing.T) { dependsOnHealthyNeo4j(t, svc(t, "import")) }},
		{"import/hardened", func(t *testing.T) { appHardened(t, svc(t, "import")) }},
		{"import/configuration", func(t *testing.T) { appConfig(t, svc(t, "import")) }},
		{"all/ports on loopback only", func(t *testing.T) {
			for name, s := range c.Services {
				for _, p := range s.Ports {
					if !strings.HasPrefix(p, "127.0.0.1:") {
						t.Errorf("%s publishes %q beyond 127.0.0.1", name, p)
					}
				}
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, tc.check)
	}
}

// TestNeo4jHardening: the settings docker-compose.yml gives Neo4j, and
// their values with .env.example copied to .env.
func TestNeo4jHardening(t *testing.T) {
	c := loadCompose(t)
	env := readEnvExample(t).active()
	settings := map[string]string{} // setting -> raw value
	for k, v := range c.Services["neo4j"].Environment {
		if k != "NEO4J_AUTH" && k != "NEO4J_PLUGINS" {
			settings[setting(k)] = v
		}
	}
	cases := []struct {
		setting, raw, resolved string
	}{
		{"db.transaction.timeout", "${NEO4J_TX_TIMEOUT:-60s}", "60s"},
		{"db.memory.transaction.max", "${NEO4J_TX_MEMORY_MAX:-512m}", "512m"},
		{"db.memory.transaction.total.max", "${NEO4J_TX_MEMORY_MAX:-512m}", "512m"},
		{"dbms.memory.transaction.total.max", "${NEO4J_TX_MEMORY_MAX:-512m}", "512m"},
		{"dbms.security.allow_csv_import_from_file_urls", "false", "false"},
		{"dbms.security.procedures.allowlist", "db.*,dbms.components,dbms.info,gds.*", "db.*,dbms.components,dbms.info,gds.*"},
		{"dbms.security.procedures.unrestricted", "gds.*", "gds.*"},
		{"dbms.security.auth_minimum_password_length", "8", "8"},
		{"server.memory.pagecache.size", "${NEO4J_PAGECACHE:-256m}", "256m"},
		{"server.memory.heap.max_size", "${NEO4J_HEAP:-1g}", "1g"},
		{"server.memory.heap.initial_size", "${NEO4J_HEAP_INITIAL:-256m}", "256m"},
	}
	for _, tc := range cases {
		t.Run(tc.setting, func(t *testing.T) {
			raw, ok := settings[tc.setting]
			if !ok {
				t.Fatalf("docker-compose.yml does not set %s", tc.setting)
			}
			if raw != tc.raw {
				t.Errorf("raw value %q, want %q", raw, tc.raw)
			}
			if got := interpolate(t, raw, env); got != tc.resolved {
				t.Errorf("resolves to %q, want %q", got, tc.resolved)
			}
		})
	}
}

// launcherOnly are settings of the embedded launcher that do not apply to
// the container: loopback listening, plain-text Bolt, shutdown tuning, and
// values equal to Neo4j's defaults (auth on).
var launcherOnly = map[string]bool{
	"dbms.security.auth_enabled": true,
}

func launcherOnlySetting(name string) bool {
	return launcherOnly[name] || strings.HasPrefix(name, "server.bolt.") ||
		strings.HasPrefix(name, "internal.") || strings.HasPrefix(name, "server.default_")
}

// TestLauncherHardeningMirrored: every guard the embedded launcher gives
// Neo4j (Launcher.neo4jConfig), docker-compose.yml gives it too, with the
// same value by default.
func TestLauncherHardeningMirrored(t *testing.T) {
	src, err := os.ReadFile(launcherPath)
	if err != nil {
		t.Fatal(err)
	}
	// Defaults of Launcher.Options: String txTimeout = "60s"; int boltPort = 7687;
	defaults := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(?:String|int) (\w+) = "?([^";]*)"?;`).FindAllSubmatch(src, -1) {
		defaults["o."+string(m[1])] = string(m[2])
	}
	puts := regexp.MustCompile(`c\.put\("([^"]+)",\s*([^;]+)\);`).FindAllSubmatch(src, -1)
	if len(puts) < 5 {
		t.Fatalf("found %d c.put(...) settings in %s; has neo4jConfig changed shape?", len(puts), launcherPath)
	}
	c := loadCompose(t)
	env := readEnvExample(t).active()
	settings := map[string]string{}
	for k, v := range c.Services["neo4j"].Environment {
		settings[setting(k)] = interpolate(t, v, env)
	}
	for _, m := range puts {
		name, expr := string(m[1]), strings.TrimSpace(string(m[2]))
		if launcherOnlySetting(name) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			var want string
			switch {
			case strings.HasPrefix(expr, `"`) && strings.HasSuffix(expr, `"`):
				want = strings.Trim(expr, `"`)
			case defaults[expr] != "":
				want = defaults[expr]
			default:
				want = "" // computed: only its presence is checked
			}
			got, ok := settings[name]
			if !ok {
				t.Fatalf("the launcher sets %s = %s; docker-compose.yml does not", name, expr)
			}
			if want != "" && got != want {
				t.Errorf("docker-compose.yml gives %q, the launcher %q", got, want)
			}
		})
	}
}

// ---- .env.example ------------------------------------------------------------

type envVar struct {
	name, value string
	active      bool // false: a "# NAME=value" line, documented but unset
	line        int
}

type envFile []envVar

func (f envFile) active() map[string]string {
	m := map[string]string{}
	for _, v := range f {
		if v.active {
			m[v.name] = v.value
		}
	}
	return m
}

func (f envFile) lookup(name string) (envVar, bool) {
	for _, v := range f {
		if v.name == name {
			return v, true
		}
	}
	return envVar{}, false
}

var (
	activeRe    = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)
	commentedRe = regexp.MustCompile(`^# ?([A-Z][A-Z0-9_]*)=(.*)$`)
)

func readEnvExample(t *testing.T) envFile {
	t.Helper()
	b, err := os.ReadFile(envExample)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		t.Errorf("%s: no newline at the end (scripts/run.sh would skip the last line)", envExample)
	}
	var f envFile
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case line == "":
		case activeRe.MatchString(line):
			m := activeRe.FindStringSubmatch(line)
			f = append(f, envVar{name: m[1], value: m[2], active: true, line: n})
		case commentedRe.MatchString(line):
			m := commentedRe.FindStringSubmatch(line)
			f = append(f, envVar{name: m[1], value: m[2], line: n})
		case strings.HasPrefix(line, "#"):
		default:
			// scripts/run.sh splits at "=" and skips only lines starting with #.
			t.Errorf("%s:%d: %q is neither NAME=value, a comment nor blank", envExample, n, line)
		}
	}
	return f
}

// scriptDefaults finds ${NAME:-default} in the scripts and env.get("NAME")
// in the launcher: every variable they read and, where a literal, its
// default.
func scriptDefaults(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	re := regexp.MustCompile(`\$\{([A-Z][A-Z0-9_]*):-([^}]*)\}`)
	for _, p := range scriptPaths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			out[string(m[1])] = append(out[string(m[1])], string(m[2]))
		}
	}
	src, err := os.ReadFile(launcherPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`env\.get\("([A-Z][A-Z0-9_]*)"\)`).FindAllSubmatch(src, -1) {
		if _, ok := out[string(m[1])]; !ok {
			out[string(m[1])] = nil
		}
	}
	return out
}

func TestEnvExample(t *testing.T) {
	f := readEnvExample(t)

	t.Run("no duplicates", func(t *testing.T) {
		seen := map[string]int{}
		for _, v := range f {
			if prev, dup := seen[v.name]; dup {
				t.Errorf("%s on lines %d and %d", v.name, prev, v.line)
			}
			seen[v.name] = v.line
		}
	})
	t.Run("every variable is known", func(t *testing.T) {
		for _, v := range f {
			_, isConfig := config.Defaults[v.name]
			if _, isOther := nonConfigVars[v.name]; !isConfig && !isOther {
				t.Errorf("line %d: %s is read by neither internal/config nor a script (add it to nonConfigVars with its reader, or drop it)", v.line, v.name)
			}
		}
	})
	for _, name := range sortedKeys(config.Defaults) {
		t.Run("config/"+name, func(t *testing.T) {
			v, ok := f.lookup(name)
			switch {
			case !ok:
				t.Fatalf("config.Defaults has %s; .env.example does not document it", name)
			case name == "NEO4J_URI":
				// Set, even to its default, it stops make run from starting the embedded Neo4j.
				if v.active {
					t.Errorf("line %d: NEO4J_URI must stay commented out", v.line)
				}
			case !v.active:
				t.Errorf("line %d: %s is commented out; show it with its default", v.line, name)
			}
			if v.value != config.Defaults[name] {
				t.Errorf("line %d: %s=%s, but its default is %q", v.line, name, v.value, config.Defaults[name])
			}
		})
	}
	for _, name := range sortedKeys(nonConfigVars) {
		t.Run("script/"+name, func(t *testing.T) {
			if _, ok := f.lookup(name); !ok {
				t.Errorf("%s (read by %s) is not in .env.example", name, nonConfigVars[name])
			}
		})
	}
	t.Run("every script variable documented", func(t *testing.T) {
		for name := range scriptDefaults(t) {
			if _, ok := f.lookup(name); !ok && !ignoredScriptVars[name] {
				t.Errorf("the scripts or the launcher read %s; .env.example does not document it", name)
			}
		}
	})
	t.Run("values are the scripts' defaults", func(t *testing.T) {
		for name, defs := range scriptDefaults(t) {
			v, ok := f.lookup(name)
			if !ok {
				continue
			}
			for _, d := range defs {
				if d == "" || strings.Contains(d, "$") {
					continue // no literal default to compare
				}
				if v.value != d {
					t.Errorf("line %d: %s=%s, but a script defaults it to %q", v.line, name, v.value, d)
				}
			}
		}
	})
	t.Run("values are the launcher's defaults", func(t *testing.T) {
		src, err := os.ReadFile(launcherPath)
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]string{}
		for _, m := range regexp.MustCompile(`(?m)^\s+(?:String|int) (\w+) = "?([^";]*)"?;`).FindAllSubmatch(src, -1) {
			fields[string(m[1])] = string(m[2])
		}
		for name, field := range map[string]string{
			"NEO4J_BOLT_PORT": "boltPort", "NEO4J_TX_TIMEOUT": "txTimeout",
			"NEO4J_TX_MEMORY_MAX": "txMemoryMax", "NEO4J_PAGECACHE": "pagecache",
		} {
			v, _ := f.lookup(name)
			if want, ok := fields[field]; !ok {
				t.Errorf("Launcher.Options has no default for %s any more", field)
			} else if v.value != want {
				t.Errorf("%s=%s, the launcher's default is %q", name, v.value, want)
			}
		}
	})
	t.Run("values safe for run.sh", func(t *testing.T) {
		for _, v := range f {
			if v.active && strings.ContainsAny(v.value, " \t#\"'$`") {
				t.Errorf("line %d: %s=%s: quotes, spaces, # and $ are read differently by scripts/run.sh and godotenv", v.line, v.name, v.value)
			}
		}
	})
	t.Run("copy changes no defaults", func(t *testing.T) {
		vars := f.active()
		fromFile, err := config.Load(func(k string) string { return vars[k] })
		if err != nil {
			t.Fatalf("config.Load with .env.example: %v", err)
		}
		defaults, err := config.Load(func(string) string { return "" })
		if err != nil {
			t.Fatalf("config.Load with nothing set: %v", err)
		}
		if !reflect.DeepEqual(fromFile, defaults) {
			t.Errorf("with .env.example: %+v\nwith nothing set: %+v", fromFile, defaults)
		}
	})
}

// TestComposeVariablesDocumented: every ${VAR} docker-compose.yml reads is
// in .env.example, and its fallback there is .env.example's value.
func TestComposeVariablesDocumented(t *testing.T) {
	b, err := os.ReadFile(composePath)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	// Values only: comments may show ${VAR} syntax.
	var matches [][]string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			matches = append(matches, interpRe.FindAllStringSubmatch(n.Value, -1)...)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	f := readEnvExample(t)
	if len(matches) == 0 {
		t.Fatal("no ${VAR} in docker-compose.yml; has the test's pattern gone stale?")
	}
	seen := map[string]bool{}
	for _, m := range matches {
		name, op, arg := m[1], m[2], m[3]
		if seen[m[0]] {
			continue
		}
		seen[m[0]] = true
		t.Run(name+op+arg, func(t *testing.T) {
			v, ok := f.lookup(name)
			if !ok {
				t.Fatalf("%s is not documented in .env.example", name)
			}
			if (op == ":-" || op == "-") && arg != v.value {
				t.Errorf("falls back to %q, .env.example line %d says %s=%s", arg, v.line, name, v.value)
			}
		})
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(string(gomod))
	if goLine == nil {
		t.Fatal("no go line in go.mod")
	}
	cases := []struct{ name, want string }{
		{"Go version of go.mod", "ARG GO_VERSION=" + goLine[1]},
		{"static binary", "CGO_ENABLED=0"},
		{"trimpath", "-trimpath"},
		{"version stamped", "-X main.version=${VERSION}"},
		{"non-root user", "USER 65532:65532"},
		{"sample data", "COPY data/sample /data/sample"},
		{"entrypoint", `ENTRYPOINT ["/scamgraph"]`},
		{"serves by default", `CMD ["serve"]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(df, tc.want) {
				t.Errorf("Dockerfile lacks %q", tc.want)
			}
		})
	}
	t.Run("dockerignore", func(t *testing.T) {
		b, err := os.ReadFile("../.dockerignore")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		for _, want := range []string{".git", "bin", ".data", ".env", "tools/neo4j-embedded/target"} {
			if !slices.Contains(lines, want) {
				t.Errorf(".dockerignore lacks %s", want)
			}
		}
	})
	t.Run("paths exist", func(t *testing.T) {
		for _, p := range []string{"../data/sample", "../cmd/scamgraph"} {
			if _, err := os.Stat(filepath.Clean(p)); err != nil {
				t.Error(err)
			}
		}
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestNeo4jMemoryRule: what NEO4J_HEAP=auto and NEO4J_PAGECACHE=auto come
// to (scripts/neo4j.sh memory), for machines of several sizes, as
// docs/deploy.md states the rule; and make run asks for it.
func TestNeo4jMemoryRule(t *testing.T) {
	for _, tc := range []struct {
		name     string
		memKB    int
		heap, pc string
	}{
		{"2 GiB: the floors", 2 << 20, "1024m", "512m"},
		{"8 GiB", 8 << 20, "1024m", "2048m"},
		{"24 GiB, the dev VM", 24 << 20, "3072m", "6144m"},
		{"20.5 GiB: whole 256 MiB, rounded down", 20992 << 10, "2560m", "5120m"},
		{"64 GiB: the ceilings", 64 << 20, "8192m", "16384m"},
		{"256 GiB", 256 << 20, "8192m", "16384m"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command("bash", "../scripts/neo4j.sh", "memory")
			cmd.Env = append(os.Environ(), fmt.Sprintf("NEO4J_MEMTOTAL_KB=%d", tc.memKB))
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("neo4j.sh memory: %v", err)
			}
			want := "NEO4J_HEAP=" + tc.heap + " NEO4J_PAGECACHE=" + tc.pc
			if got := strings.TrimSpace(string(out)); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	t.Run("make run asks for auto unless told otherwise", func(t *testing.T) {
		src, err := os.ReadFile("../scripts/run.sh")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"NEO4J_HEAP", "NEO4J_PAGECACHE"} {
			line := fmt.Sprintf(`[[ -z "${%s:-}" ]] && export %s=auto`, v, v)
			if !strings.Contains(string(src), line) {
				t.Errorf("scripts/run.sh lacks %s", line)
			}
		}
	})
}
