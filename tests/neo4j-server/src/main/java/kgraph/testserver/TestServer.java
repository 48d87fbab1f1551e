package kgraph.testserver;

import java.nio.file.Path;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * An in-process Neo4j Community server with Bolt on one loopback port, for
 * kgraph's tests (started and stopped by scripts/test-server).
 *
 * <pre>java -cp ... kgraph.testserver.TestServer HOME PORT [PASSWORD_FILE] [PAGECACHE] [NAME=VALUE ...]</pre>
 *
 * HOME is a fresh directory for data and logs; with PASSWORD_FILE the user
 * neo4j gets the password in that file (auth on, as on a real server),
 * without it auth is off.  Each NAME=VALUE is one more neo4j.conf setting.  Prints one line "kgraph-test-server ready ..." on
 * stdout once Bolt answers, then runs until SIGTERM/SIGINT, which shuts the
 * databases down cleanly.
 */
public final class TestServer {
    private TestServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TestServer HOME PORT [PASSWORD_FILE] [PAGECACHE] [NAME=VALUE ...]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args.length > 2 && !args[2].isEmpty()
                ? Files.readString(Path.of(args[2])).strip() : null;
        String pagecache = args.length > 3 ? args[3] : "256m";

        // Setting names as a neo4j.conf, not typed Setting constants: the same
        // launcher source then builds against 5.26 and the 2026.x releases.
        List<String> conf = new ArrayList<>(List.of(
                "server.bolt.enabled=true",
                "server.bolt.listen_address=127.0.0.1:" + port,
                "server.bolt.advertised_address=127.0.0.1:" + port,
                "server.bolt.tls_level=DISABLED",
                "dbms.security.auth_enabled=" + (password != null),
                "server.memory.pagecache.size=" + pagecache,
                "db.tx_log.rotation.retention_policy=2 files"));
        for (int i = 4; i < args.length; i++) {
            conf.add(args[i]);
        }
        Files.createDirectories(home);
        Path confFile = home.resolve("neo4j.conf");
        Files.write(confFile, conf);

        long t0 = System.nanoTime();
        DatabaseManagementService dbms =
                new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(confFile).build();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stop.countDown();
        }, "kgraph-test-server-shutdown"));

        if (password != null) {
            GraphDatabaseService system = dbms.database("system");
            system.executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        }
        GraphDatabaseService db = dbms.database("neo4j");
        String version = db.executeTransactionally(
                "CALL dbms.components() YIELD versions RETURN versions[0] AS v", Map.of(),
                r -> r.hasNext() ? String.valueOf(r.next().get("v")) : "?");
        System.out.printf("kgraph-test-server ready bolt://127.0.0.1:%d neo4j %s in %.1fs%n",
                port, version, (System.nanoTime() - t0) / 1e9);
        System.out.flush();
        stop.await();
    }
}
