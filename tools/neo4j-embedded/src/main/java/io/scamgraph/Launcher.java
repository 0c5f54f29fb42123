package io.scamgraph;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.NullLogProvider;

/**
 * Embedded Neo4j (Community, 5.26) for scamgraph: one DBMS listening for Bolt on loopback only.
 *
 * <p>Configuration: flags win over environment variables.
 * <pre>
 *   --data-dir DIR        NEO4J_DATA_DIR        (required)
 *   --bolt-port PORT      NEO4J_BOLT_PORT       (default 7687)
 *   --tx-timeout DUR      NEO4J_TX_TIMEOUT      (default 60s)
 *   --tx-memory-max SIZE  NEO4J_TX_MEMORY_MAX   (default 512m)
 *   --pagecache SIZE      NEO4J_PAGECACHE       (default 256m)
 *   password: env NEO4J_PASSWORD only (>= 8 chars), never a flag.
 * </pre>
 *
 * <p>stdout carries exactly two lines over a normal life: {@code neo4j-embedded ready bolt://127.0.0.1:PORT}
 * and, on shutdown, {@code neo4j-embedded stopped}. Errors go to stderr. Neo4j's own logs go to
 * DATA_DIR/logs/.
 */
public final class Launcher {
    static final String BOLT_HOST = "127.0.0.1";
    static final int MIN_PASSWORD_LENGTH = 8;
    static final String READY_PREFIX = "neo4j-embedded ready ";
    static final String STOPPED_LINE = "neo4j-embedded stopped";

    /** Exit codes: 2 = bad usage/config, 3 = port unavailable, 4 = startup failure. */
    static final int EXIT_CONFIG = 2;
    static final int EXIT_PORT = 3;
    static final int EXIT_STARTUP = 4;

    private Launcher() {}

    static final class ConfigException extends Exception {
        ConfigException(String msg) {
            super(msg);
        }
    }

    static final class Options {
        Path dataDir;
        int boltPort = 7687;
        String txTimeout = "60s";
        String txMemoryMax = "512m";
        String pagecache = "256m";
        String password;
    }

    public static void main(String[] args) {
        // Keep our own stdout line-oriented and independent of anything Neo4j might print.
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        Options opts;
        try {
            opts = parse(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("neo4j-embedded: config error: " + e.getMessage());
            System.err.println(usage());
            System.exit(EXIT_CONFIG);
            return;
        }

        try {
            checkPortFree(opts.boltPort);
        } catch (IOException e) {
            System.err.println("neo4j-embedded: cannot listen on " + BOLT_HOST + ":" + opts.boltPort
                    + " (port in use?): " + e.getMessage());
            System.exit(EXIT_PORT);
            return;
        }

        // Everything Neo4j writes to System.out during startup (there should be nothing) goes to stderr,
        // so stdout stays machine-readable for scripts.
        System.setOut(System.err);

        final DatabaseManagementService dbms;
        try {
            Files.createDirectories(opts.dataDir);
            Path conf = writeConfig(opts.dataDir, neo4jConfig(opts));
            seedInitialPassword(opts.dataDir, opts.password);
            dbms = new DatabaseManagementServiceBuilder(opts.dataDir)
                    .loadPropertiesFromFile(conf)
                    .setUserLogProvider(NullLogProvider.getInstance())
                    .build();
        } catch (Throwable e) {
            System.err.println("neo4j-embedded: failed to start Neo4j: " + rootMessage(e));
            e.printStackTrace(System.err);
            if (isBindFailure(e)) {
                System.exit(EXIT_PORT);
            }
            System.exit(EXIT_STARTUP);
            return;
        }

        AtomicBoolean stopped = new AtomicBoolean(false);
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                try {
                    dbms.shutdown();
                    out.println(STOPPED_LINE);
                } catch (Throwable e) {
                    System.err.println("neo4j-embedded: error during shutdown: " + rootMessage(e));
                }
                out.flush();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "neo4j-embedded-shutdown"));
        exitZeroOnSignal("TERM");
        exitZeroOnSignal("INT");

        try {
            setPassword(dbms, opts.password);
            // The seeded auth.ini (a salted hash) has been consumed by the system database; don't leave it around.
            Files.deleteIfExists(opts.dataDir.resolve("data").resolve("dbms").resolve("auth.ini"));
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(TimeUnit.MINUTES.toMillis(5))) {
                throw new IllegalStateException("default database did not become available within 5 minutes");
            }
            int n = registerGds(db);
            System.err.println("neo4j-embedded: registered " + n + " Graph Data Science procedures and functions");
        } catch (Throwable e) {
            System.err.println("neo4j-embedded: startup failed: " + rootMessage(e));
            e.printStackTrace(System.err);
            System.exit(EXIT_STARTUP); // runs the shutdown hook
            return;
        }

        out.println(READY_PREFIX + "bolt://" + BOLT_HOST + ":" + opts.boltPort);
        out.flush();

        // Park the main thread; the DBMS's own threads keep the JVM alive and the shutdown hook stops it.
        try {
            Thread.currentThread().join();
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }

    /** Service files in which Neo4j's procedure compiler lists a jar's procedure, function and aggregation classes. */
    static final String SERVICES = "META-INF/services/org.neo4j.procedure.";
    /** Only classes of this package are registered from the classpath. */
    static final String GDS_PACKAGE = "org.neo4j.gds.";

    /**
     * Registers Graph Data Science's procedures and functions. A Neo4j server loads procedures from the jars of its
     * plugins directory; an embedded DBMS loads none from its classpath. GDS's extension (its ExtensionFactory,
     * which builds the procedure facade the procedures get injected) is found by service loading, but its
     * procedure classes must be registered through GlobalProcedures, as GDS's own test utilities do
     * (GraphDatabaseApiProxy.registerProcedures). The classes come from the service files Neo4j's procedure compiler
     * writes into each GDS jar; only org.neo4j.gds classes are taken, and the allowlist setting
     * (dbms.security.procedures.allowlist) still decides which of them get loaded.
     *
     * @return how many classes were registered
     */
    static int registerGds(GraphDatabaseService db) throws Exception {
        GlobalProcedures procs = ((GraphDatabaseAPI) db).getDependencyResolver().resolveDependency(GlobalProcedures.class);
        ClassLoader cl = Launcher.class.getClassLoader();
        int n = 0;
        for (String kind : List.of("Procedure", "UserFunction", "UserAggregationFunction")) {
            for (String name : gdsClasses(cl, SERVICES + kind)) {
                Class<?> c = Class.forName(name, true, cl);
                try {
                    switch (kind) {
                        case "Procedure" -> procs.registerProcedure(c);
                        case "UserFunction" -> procs.registerFunction(c);
                        default -> procs.registerAggregationFunction(c);
                    }
                    n++;
                } catch (org.neo4j.internal.kernel.api.exceptions.ProcedureException e) {
                    // The same class listed twice (two jars) is registered once.
                    if (!String.valueOf(e.getMessage()).contains("already in use")) {
                        throw e;
                    }
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("no Graph Data Science procedures found on the classpath (lib/ incomplete?)");
        }
        return n;
    }

    static Set<String> gdsClasses(ClassLoader cl, String resource) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Enumeration<URL> urls = cl.getResources(resource);
        while (urls.hasMoreElements()) {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(urls.nextElement().openStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    String name = line.replaceAll("#.*", "").trim();
                    if (name.startsWith(GDS_PACKAGE)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    /**
     * A requested stop (SIGTERM/SIGINT) is a normal exit: run the shutdown hooks and exit 0 instead of the JVM's
     * default 143/130, so callers can tell a clean stop from a crash.
     */
    static void exitZeroOnSignal(String name) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> System.exit(0));
        } catch (Throwable ignored) {
            // Signal unsupported here: the JVM default (shutdown hooks run, exit 128+n) still applies.
        }
    }

    static Map<String, String> neo4jConfig(Options o) {
        Map<String, String> c = new LinkedHashMap<>();
        // Bolt on loopback only, plain text (no TLS needed on 127.0.0.1).
        c.put("server.bolt.enabled", "true");
        c.put("server.bolt.listen_address", BOLT_HOST + ":" + o.boltPort);
        c.put("server.bolt.advertised_address", BOLT_HOST + ":" + o.boltPort);
        c.put("server.bolt.tls_level", "DISABLED");
        // Bolt's shutdown otherwise waits 5 s + 5 s even with no clients connected; open transactions are
        // still rolled back / committed by the database shutdown that runs before.
        c.put("internal.server.bolt.connection_shutdown_wait_time", "1s");
        c.put("internal.server.bolt.thread_pool_shutdown_wait_time", "1s");
        c.put("server.default_listen_address", BOLT_HOST);
        c.put("server.default_advertised_address", BOLT_HOST);
        // Authentication.
        c.put("dbms.security.auth_enabled", "true");
        c.put("dbms.security.auth_minimum_password_length", Integer.toString(MIN_PASSWORD_LENGTH));
        // Guards against runaway / hostile queries.
        c.put("db.transaction.timeout", o.txTimeout);
        // Neo4j tracks what its operators hold (collect, ORDER BY, DISTINCT, aggregations, joins) against these
        // limits, but not the values expressions build (strings and lists grown by reduce, comprehensions, +):
        // the heap needs headroom beyond the tracked total for those, for Neo4j itself and for the page cache's
        // on-heap structures. The tracked total is therefore capped at half the heap (docs/reliability.md);
        // scamgraph's Cypher guard (graph/cypherguard) bounds the untracked part.
        long heap = Runtime.getRuntime().maxMemory();
        long txMax = parseSize(o.txMemoryMax);
        long total = Math.min(txMax, heap / 2);
        if (total < txMax) {
            System.err.println("neo4j-embedded: warning: tx memory max " + o.txMemoryMax + " is more than half the heap ("
                    + (heap >> 20) + "m); transactions are limited to " + (total >> 20) + "m in all");
        }
        c.put("db.memory.transaction.max", Long.toString(total));
        c.put("db.memory.transaction.total.max", Long.toString(total));
        c.put("dbms.memory.transaction.total.max", Long.toString(total));
        c.put("dbms.security.allow_csv_import_from_file_urls", "false");
        // gds.* is Graph Data Science: its procedures need unrestricted access (they read through the kernel and
        // get GDS's own components injected). Nothing else is widened; scamgraph's Cypher endpoint refuses gds.*
        // procedures that write or project from arbitrary Cypher (graph/cypherguard).
        c.put("dbms.security.procedures.allowlist", "db.*,dbms.components,dbms.info,gds.*");
        c.put("dbms.security.procedures.unrestricted", "gds.*");
        // Open GDS itself refuses a concurrency above 4 (its community limit) and defaults to 4.
        // Memory.
        c.put("server.memory.pagecache.size", o.pagecache);
        return c;
    }

    /** Bytes of a size written 512m, 1g, 64k or 1048576. */
    static long parseSize(String s) {
        String v = s.trim().toLowerCase();
        long unit = 1;
        switch (v.charAt(v.length() - 1)) {
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            default -> {
                return Long.parseLong(v);
            }
        }
        return Long.parseLong(v.substring(0, v.length() - 1)) * unit;
    }

    /**
     * 5.26's builder has no setConfigRaw(Map<String,String>), so the string settings are written to
     * DATA_DIR/conf/neo4j-embedded.conf (regenerated at every start; holds no secrets) and loaded from there.
     * Neo4j validates it strictly: an unknown key or bad value fails the start.
     */
    static Path writeConfig(Path dataDir, Map<String, String> settings) throws IOException {
        Path confDir = dataDir.resolve("conf");
        Files.createDirectories(confDir);
        Path conf = confDir.resolve("neo4j-embedded.conf");
        StringBuilder sb = new StringBuilder("# Generated by io.scamgraph.Launcher at every start; edits are overwritten.\n");
        settings.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(conf, sb.toString());
        return conf;
    }

    /**
     * On a fresh data dir, write the initial password the way `neo4j-admin dbms set-initial-password` does
     * (data/dbms/auth.ini, read once when the system database is created), so Bolt never accepts the default
     * neo4j/neo4j credentials, not even for the moment between Bolt starting and {@link #setPassword} running.
     * Best effort: on failure the ALTER USER in setPassword still sets the password right after start.
     */
    static void seedInitialPassword(Path home, String password) {
        if (Files.exists(home.resolve("data").resolve("databases").resolve("system"))) {
            return; // system database exists: auth.ini would be ignored
        }
        try {
            PrintStream devNull = new PrintStream(java.io.OutputStream.nullOutputStream());
            var ctx = new org.neo4j.cli.ExecutionContext(home, home.resolve("conf"), devNull, System.err,
                    new org.neo4j.io.fs.DefaultFileSystemAbstraction());
            int rc = new picocli.CommandLine(
                            new org.neo4j.commandline.admin.security.SetInitialPasswordCommand(ctx))
                    .execute(password);
            if (rc != 0) {
                System.err.println("neo4j-embedded: warning: could not seed initial password (rc=" + rc + ")");
            }
        } catch (Throwable e) {
            System.err.println("neo4j-embedded: warning: could not seed initial password: " + rootMessage(e));
        }
    }

    static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the value it already has; that is the idempotent case.
            String msg = String.valueOf(rootMessage(e)).toLowerCase();
            if (!msg.contains("cannot be the same")) {
                throw e;
            }
        }
    }

    static void checkPortFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(BOLT_HOST), port));
        }
    }

    static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && m.toLowerCase().contains("already in use")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
                sb.append(" | caused by: ").append(t.getMessage());
            }
        }
        return sb.toString();
    }

    static String usage() {
        return "usage: NEO4J_PASSWORD=... java -cp 'neo4j-embedded.jar:lib/*' io.scamgraph.Launcher"
                + " --data-dir DIR [--bolt-port PORT] [--tx-timeout 60s] [--tx-memory-max 512m] [--pagecache 256m]\n"
                + "  env fallbacks: NEO4J_DATA_DIR NEO4J_BOLT_PORT NEO4J_TX_TIMEOUT NEO4J_TX_MEMORY_MAX NEO4J_PAGECACHE;"
                + " password only via env NEO4J_PASSWORD (>= " + MIN_PASSWORD_LENGTH + " chars)";
    }

    static Options parse(String[] args, Map<String, String> env) throws ConfigException {
        Options o = new Options();
        String dataDir = env.get("NEO4J_DATA_DIR");
        String port = env.get("NEO4J_BOLT_PORT");
        String txTimeout = env.get("NEO4J_TX_TIMEOUT");
        String txMem = env.get("NEO4J_TX_MEMORY_MAX");
        String pagecache = env.get("NEO4J_PAGECACHE");

        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "-h":
                case "--help":
                    System.err.println(usage());
                    System.exit(0);
                    break;
                case "--password":
                    throw new ConfigException("--password is not accepted; set NEO4J_PASSWORD in the environment");
                case "--data-dir":
                case "--bolt-port":
                case "--tx-timeout":
                case "--tx-memory-max":
                case "--pagecache":
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new ConfigException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--data-dir" -> dataDir = value;
                        case "--bolt-port" -> port = value;
                        case "--tx-timeout" -> txTimeout = value;
                        case "--tx-memory-max" -> txMem = value;
                        default -> pagecache = value;
                    }
                    break;
                default:
                    throw new ConfigException("unknown argument: " + a);
            }
        }

        if (dataDir == null || dataDir.isBlank()) {
            throw new ConfigException("--data-dir (or NEO4J_DATA_DIR) is required");
        }
        o.dataDir = Path.of(dataDir).toAbsolutePath().normalize();
        if (Files.exists(o.dataDir) && !Files.isDirectory(o.dataDir)) {
            throw new ConfigException("data dir exists and is not a directory: " + o.dataDir);
        }

        if (port != null && !port.isBlank()) {
            try {
                o.boltPort = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException("bolt port is not a number: " + port);
            }
        }
        if (o.boltPort < 1 || o.boltPort > 65535) {
            throw new ConfigException("bolt port out of range 1..65535: " + o.boltPort);
        }

        if (txTimeout != null && !txTimeout.isBlank()) {
            o.txTimeout = txTimeout.trim();
        }
        if (txMem != null && !txMem.isBlank()) {
            o.txMemoryMax = txMem.trim();
        }
        if (pagecache != null && !pagecache.isBlank()) {
            o.pagecache = pagecache.trim();
        }
        if (!o.txTimeout.matches("\\d+(ms|s|m|h)?")) {
            throw new ConfigException("tx timeout must look like 60s, 500ms, 2m: " + o.txTimeout);
        }
        if (!o.txMemoryMax.matches("(?i)\\d+[kmg]?")) {
            throw new ConfigException("tx memory max must look like 512m, 1g: " + o.txMemoryMax);
        }
        if (!o.pagecache.matches("(?i)\\d+[kmg]?")) {
            throw new ConfigException("pagecache must look like 256m, 1g: " + o.pagecache);
        }

        o.password = env.get("NEO4J_PASSWORD");
        if (o.password == null || o.password.isEmpty()) {
            throw new ConfigException("NEO4J_PASSWORD is not set");
        }
        if (o.password.length() < MIN_PASSWORD_LENGTH) {
            throw new ConfigException("NEO4J_PASSWORD must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        return o;
    }
}
