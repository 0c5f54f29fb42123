package io.scamgraph;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.logging.NullLogProvider;

/**
 * The offline bulk load of a launcher data dir (scamgraph import --bulk, scripts/neo4j.sh bulk-import): Neo4j's
 * own batch importer (neo4j-admin database import full, from org.neo4j:neo4j-import-tool, already on the
 * launcher's classpath) builds the store of the default database from neo4j-admin CSV files, then our schema is
 * applied to it, all before the launcher starts on the dir.
 *
 * <pre>
 *   java -cp 'neo4j-embedded.jar:lib/*' io.scamgraph.BulkImport --data-dir DIR --args FILE [--schema FILE]
 *        [-- extra neo4j-admin options]
 *   java -cp 'neo4j-embedded.jar:lib/*' io.scamgraph.BulkImport --data-dir DIR --check
 * </pre>
 * With --check, only step 1 runs (exit 0 when the database is absent or empty), so a load can be refused before
 * its input is read.
 *
 * <ol>
 *   <li>Refuses a non-empty database: when DIR already holds the default database, it is opened (no Bolt) and
 *       counted; any node (entities, import runs, API keys) refuses the load (exit 5). Neo4j's store lock also
 *       refuses a dir a running launcher holds (exit 5).</li>
 *   <li>Runs {@code database import full} with the options in FILE (one a line, picocli's @file), replacing the
 *       empty database if there was one (exit 6 on failure; the importer leaves no database behind).</li>
 *   <li>With --schema, opens the new database (no Bolt) and runs each line of the schema file as one statement,
 *       then waits for the indexes to come online (exit 7 on failure).</li>
 * </ol>
 * Progress goes to stderr; stdout carries one line at the end: {@code neo4j-bulk done NODES RELATIONSHIPS}.
 */
public final class BulkImport {
    static final int EXIT_USAGE = 2;
    static final int EXIT_NOT_EMPTY = 5;
    static final int EXIT_IMPORT = 6;
    static final int EXIT_SCHEMA = 7;

    private BulkImport() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        System.setOut(System.err);
        Path dataDir = null;
        Path argsFile = null;
        Path schema = null;
        List<String> extra = new ArrayList<>();
        boolean checkOnly = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--check")) {
                checkOnly = true;
                continue;
            }
            if (a.equals("--")) {
                extra.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (i + 1 >= args.length) {
                usage("missing value for " + a);
            }
            switch (a) {
                case "--data-dir" -> dataDir = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--args" -> argsFile = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--schema" -> schema = Path.of(args[++i]).toAbsolutePath().normalize();
                default -> usage("unknown argument: " + a);
            }
        }
        if (dataDir == null || (argsFile == null && !checkOnly)) {
            usage("--data-dir and --args (or --check) are required");
        }
        String db = GraphDatabaseSettings.DEFAULT_DATABASE_NAME;
        boolean overwrite = false;
        try {
            Files.createDirectories(dataDir);
            Path store = dataDir.resolve("data").resolve("databases").resolve(db);
            if (hasFiles(store)) {
                long nodes = countNodes(dataDir);
                if (nodes > 0) {
                    fail(EXIT_NOT_EMPTY, "refused: the database " + db + " in " + dataDir + " is not empty (" + nodes
                            + " nodes); a bulk load builds a first load into an empty database only. Use the"
                            + " transactional import (scamgraph import without --bulk), or a new data dir.");
                }
                System.err.println("neo4j-bulk: the database " + db + " in " + dataDir + " is empty; replacing it");
                overwrite = true;
            }
        } catch (Throwable e) {
            fail(EXIT_NOT_EMPTY, "cannot check the database in " + dataDir + " (is Neo4j running on it? stop it"
                    + " first: a bulk load writes the store offline): " + Launcher.rootMessage(e));
        }
        if (checkOnly) {
            out.println("neo4j-bulk empty");
            out.flush();
            System.exit(0);
        }

        List<String> cmd = new ArrayList<>(List.of("database", "import", "full",
                "--overwrite-destination=" + overwrite, "--report-file=" + argsFile.resolveSibling("import.report")));
        cmd.addAll(extra);
        // The database before the @file: its last options (--nodes, --relationships) take any number of files.
        cmd.add(db);
        cmd.add("@" + argsFile);
        int rc;
        try {
            Path conf = dataDir.resolve("conf");
            Files.createDirectories(conf);
            ExecutionContext ctx = new ExecutionContext(dataDir, conf, System.err, System.err,
                    new DefaultFileSystemAbstraction());
            rc = AdminTool.execute(ctx, cmd.toArray(new String[0]));
        } catch (Throwable e) {
            fail(EXIT_IMPORT, "neo4j-admin database import full failed: " + Launcher.rootMessage(e));
            return;
        }
        if (rc != 0) {
            fail(EXIT_IMPORT, "neo4j-admin database import full failed (exit " + rc + "); see above and "
                    + argsFile.resolveSibling("import.report"));
        }

        long[] counts = {0, 0};
        if (schema != null) {
            try {
                counts = applySchema(dataDir, schema);
            } catch (Throwable e) {
                fail(EXIT_SCHEMA, "the store was imported but applying the schema failed: " + Launcher.rootMessage(e)
                        + " (scamgraph migrate applies it once Neo4j runs)");
            }
        }
        out.println("neo4j-bulk done " + counts[0] + " " + counts[1]);
        out.flush();
        System.exit(0);
    }

    static boolean hasFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    /** An embedded DBMS on the dir without Bolt (the launcher's own store layout). */
    static DatabaseManagementService open(Path dataDir) {
        return new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, false)
                .setUserLogProvider(NullLogProvider.getInstance())
                .build();
    }

    static long countNodes(Path dataDir) {
        DatabaseManagementService dbms = open(dataDir);
        try {
            GraphDatabaseService g = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            return g.executeTransactionally("MATCH (n) RETURN count(n) AS n", Map.of(),
                    r -> ((Number) r.next().get("n")).longValue());
        } finally {
            dbms.shutdown();
        }
    }

    static long[] applySchema(Path dataDir, Path schema) throws IOException {
        List<String> stmts = new ArrayList<>();
        for (String line : Files.readAllLines(schema)) {
            if (!line.isBlank()) {
                stmts.add(line);
            }
        }
        // The system database is created now, not at the launcher's first start: seed the password as the
        // launcher does, so its Bolt never accepts the default credentials.
        String pw = System.getenv("NEO4J_PASSWORD");
        if (pw != null && pw.length() >= Launcher.MIN_PASSWORD_LENGTH) {
            Launcher.seedInitialPassword(dataDir, pw);
        }
        DatabaseManagementService dbms = open(dataDir);
        try {
            GraphDatabaseService g = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            for (String s : stmts) {
                g.executeTransactionally(s);
            }
            System.err.println("neo4j-bulk: applied " + stmts.size() + " schema statements; waiting for the indexes");
            g.executeTransactionally("CALL db.awaitIndexes(86400)");
            long nodes = g.executeTransactionally("MATCH (n) RETURN count(n) AS n", Map.of(),
                    r -> ((Number) r.next().get("n")).longValue());
            long rels = g.executeTransactionally("MATCH ()-[r]->() RETURN count(r) AS n", Map.of(),
                    r -> ((Number) r.next().get("n")).longValue());
            return new long[] {nodes, rels};
        } finally {
            dbms.shutdown();
            Files.deleteIfExists(dataDir.resolve("data").resolve("dbms").resolve("auth.ini"));
        }
    }

    static void usage(String why) {
        System.err.println("neo4j-bulk: " + why);
        System.err.println("usage: java -cp 'neo4j-embedded.jar:lib/*' io.scamgraph.BulkImport --data-dir DIR"
                + " --args FILE [--schema FILE] [-- neo4j-admin options] | --data-dir DIR --check");
        System.exit(EXIT_USAGE);
    }

    static void fail(int code, String msg) {
        System.err.println("neo4j-bulk: " + msg);
        System.exit(code);
    }
}
