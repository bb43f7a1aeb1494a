package io.shardwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardworkConfigTest {
    private static final String MINIMAL = String.join("\n",
            "zookeeper.connect=127.0.0.1:2181",
            "kafka.bootstrap.servers=127.0.0.1:9092",
            "deployment.environment=development",
            "regions=eu,us",
            "region.eu.partition=0",
            "region.us.partition=1",
            "region.us.weight=3",
            "region.us.zones=us-1, us-2",
            "");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static List<ConfigProblem> problemsOf(Path file) {
        ConfigException failure = assertThrows(ConfigException.class, () -> ShardworkConfig.load(file, name -> null));
        return failure.problems();
    }

    private static ConfigProblem problemFor(List<ConfigProblem> problems, String key) {
        return problems.stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem reported for " + key + " in " + problems));
    }

    @Test
    void minimalFileParsesWithDefaultsAndTypedValues() throws Exception {
        ShardworkConfig config = ShardworkConfig.load(write("min.properties", MINIMAL), name -> null);
        assertEquals("local", config.clusterName());
        assertEquals(List.of("127.0.0.1:9092"), config.kafkaBootstrapServers());
        assertEquals(6000, config.zookeeperSessionTimeoutMs());
        assertEquals(List.of(new RegionSpec("eu", 0, 1, List.of()), new RegionSpec("us", 1, 3, List.of("us-1", "us-2"))), config.regions());
        assertEquals(Map.of("orders", 2, "invoices", 2, "orders.dlq", 2), config.topicPartitions());
        assertFalse(config.exactlyOnce());
    }

    @Test
    void shippedConfigFilesAreValid() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        ShardworkConfig local = ShardworkConfig.load(root.resolve("config/local.properties"), name -> null);
        assertTrue(local.isDevelopment());
        assertEquals(8, local.regions().size());
        ShardworkConfig production = ShardworkConfig.load(root.resolve("config/production.example.properties"), name -> "shard:secret-from-env");
        assertFalse(production.isDevelopment());
        assertEquals("SASL_SSL", production.clients().consumer().getProperty("security.protocol"));
    }

    @Test
    void everyProblemOfAFileIsReportedTogetherWithFileKeyValueAndExpected() throws Exception {
        Path file = write("bad.properties", MINIMAL
                + "worker.capacity=0\n"
                + "checkpoint.interval.ms=soon\n"
                + "delivery=twice\n");
        List<ConfigProblem> problems = problemsOf(file);
        assertEquals(3, problems.size(), problems.toString());
        ConfigProblem capacity = problemFor(problems, "worker.capacity");
        assertEquals(file + ": invalid value '0' for key 'worker.capacity': expected an integer, between 1 and 1000", capacity.message());
        assertEquals("soon", problemFor(problems, "checkpoint.interval.ms").value());
        assertTrue(problemFor(problems, "delivery").message().contains("one of [at-least-once, exactly-once]"));
    }

    @Test
    void unknownKeyIsReportedWithDidYouMean() throws Exception {
        List<ConfigProblem> problems = problemsOf(write("typo.properties", MINIMAL + "worker.capactiy=2\ncompletely.unrelated=1\n"));
        assertEquals("did you mean 'worker.capacity'?", problemFor(problems, "worker.capactiy").hint());
        assertEquals("no such key; 'shardwork config describe' lists them all", problemFor(problems, "completely.unrelated").hint());
    }

    @Test
    void missingRequiredKeysAreEachReported() throws Exception {
        List<ConfigProblem> problems = problemsOf(write("empty.properties", "deployment.environment=development\n"));
        // regions are cluster-wide: a host's file may leave them to the cluster definition
        assertEquals(List.of("zookeeper.connect", "kafka.bootstrap.servers"), problems.stream().map(ConfigProblem::key).toList());
        assertTrue(problems.get(0).message().contains("missing key 'zookeeper.connect'"));
    }

    @Test
    void regionPartitionsMustBeUniqueAndContiguous() throws Exception {
        List<ConfigProblem> duplicate = problemsOf(write("dup.properties", MINIMAL.replace("region.us.partition=1", "region.us.partition=0")));
        assertEquals("region 'eu' already uses partition 0", problemFor(duplicate, "region.us.partition").hint());

        List<ConfigProblem> gap = problemsOf(write("gap.properties", MINIMAL.replace("region.us.partition=1", "region.us.partition=2")));
        assertTrue(problemFor(gap, "regions").hint().contains("no region has partition 1"), gap.toString());

        List<ConfigProblem> undeclared = problemsOf(write("undeclared.properties", MINIMAL + "region.asia.partition=2\n"));
        assertTrue(problemFor(undeclared, "region.asia.partition").hint().contains("'asia' is not listed"));

        List<ConfigProblem> missingPartition = problemsOf(write("nopartition.properties", MINIMAL.replace("region.eu.partition=0\n", "")));
        assertTrue(problemFor(missingPartition, "region.eu.partition").message().contains("missing key"));
    }

    @Test
    void kafkaPassThroughIsCheckedAgainstTheClientsOwnSettings() throws Exception {
        ShardworkConfig config = ShardworkConfig.load(write("pass.properties", MINIMAL
                + "kafka.consumer.max.poll.records=77\nkafka.client.client.dns.lookup=use_all_dns_ips\nzookeeper.client.secure=false\n"), name -> null);
        assertEquals("77", config.clients().consumer().getProperty("max.poll.records"));
        assertEquals("use_all_dns_ips", config.clients().producer().getProperty("client.dns.lookup"));
        assertEquals(Map.of("zookeeper.client.secure", "false"), config.clients().zookeeper());

        List<ConfigProblem> problems = problemsOf(write("badpass.properties", MINIMAL
                + "kafka.consumer.max.poll.record=77\nkafka.producer.transactional.id=mine\nzookeeper.sesion.timeout.ms=100\n"));
        assertEquals("did you mean 'kafka.consumer.max.poll.records'?", problemFor(problems, "kafka.consumer.max.poll.record").hint());
        assertTrue(problemFor(problems, "kafka.producer.transactional.id").hint().contains("shardwork sets transactional.id itself"));
        assertEquals("did you mean 'zookeeper.session.timeout.ms'?", problemFor(problems, "zookeeper.sesion.timeout.ms").hint());
    }

    @Test
    void kafkaPassThroughValuesAreCheckedAgainstTheClientsOwnTypesAndRangesAllTogether() throws Exception {
        List<ConfigProblem> problems = problemsOf(write("badvalues.properties", MINIMAL
                + "kafka.producer.batch.size=lots\nkafka.consumer.max.poll.records=0\nkafka.client.request.timeout.ms=soon\n"
                + "kafka.producer.linger.ms=20\n"));
        ConfigProblem batch = problemFor(problems, "kafka.producer.batch.size");
        assertTrue(batch.message().contains("batch.size") && batch.message().contains("lots"), batch.message());
        assertTrue(problemFor(problems, "kafka.consumer.max.poll.records").message().contains("max.poll.records"),
                () -> problems.toString());
        assertTrue(problemFor(problems, "kafka.client.request.timeout.ms").message().contains("soon"), () -> problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.key().equals("kafka.producer.linger.ms")), () -> problems.toString());
    }

    @Test
    void productionRefusesPlaintextKafkaUnlessAllowed() throws Exception {
        String production = MINIMAL.replace("deployment.environment=development", "deployment.environment=production");
        List<ConfigProblem> problems = problemsOf(write("prod.properties", production));
        assertEquals("PLAINTEXT", problemFor(problems, "kafka.client.security.protocol").value());

        ShardworkConfig allowed = ShardworkConfig.load(write("prod-allowed.properties", production
                + "kafka.allow.plaintext=true\nzookeeper.auth.digest=shard:pw\n"), name -> null);
        assertFalse(allowed.isDevelopment());
    }

    @Test
    void productionRefusesToStartWithoutZooKeeperCredentials() throws Exception {
        String production = MINIMAL.replace("deployment.environment=development\n", "") + "kafka.allow.plaintext=true\n";
        Path file = write("prod-open.properties", production);
        List<ConfigProblem> problems = problemsOf(file);
        assertEquals(1, problems.size(), problems.toString());
        ConfigProblem digest = problemFor(problems, "zookeeper.auth.digest");
        assertTrue(digest.expected().startsWith("digest credentials user:password in production"), digest.message());
        assertTrue(digest.hint().contains("${env:NAME}") && digest.hint().contains("deployment.environment=development"), digest.message());

        List<ConfigProblem> empty = problemsOf(write("prod-empty.properties", production + "zookeeper.auth.digest=\n"));
        assertEquals(List.of("zookeeper.auth.digest"), empty.stream().map(ConfigProblem::key).toList());

        // an unresolved ${env:NAME} is reported once, as unresolved, not a second time as missing
        List<ConfigProblem> unresolved = problemsOf(write("prod-env.properties", production + "zookeeper.auth.digest=${env:ZK_DIGEST}\n"));
        assertEquals(1, unresolved.size(), unresolved.toString());
        assertTrue(unresolved.get(0).expected().contains("ZK_DIGEST"), unresolved.toString());

        ShardworkConfig secured = ShardworkConfig.load(write("prod-secured.properties", production + "zookeeper.auth.digest=${env:ZK_DIGEST}\n"),
                name -> name.equals("ZK_DIGEST") ? "shard:pw" : null);
        assertEquals("shard:pw", secured.zookeeperAuthDigest().orElseThrow());
        assertTrue(ShardworkConfig.load(write("dev-open.properties", MINIMAL), name -> null).zookeeperAuthDigest().isEmpty());
    }

    @Test
    void secretsNeverAppearInProblemsOrDisplayedValues() throws Exception {
        String secrets = MINIMAL + "zookeeper.auth.digest=shard:s3cret\nkafka.client.sasl.jaas.config=org.Module required password=\"hunter2\";\n";
        ShardworkConfig config = ShardworkConfig.load(write("secrets.properties", secrets), name -> null);
        String shown = config.displayed().toString();
        assertFalse(shown.contains("s3cret") || shown.contains("hunter2"), shown);
        assertEquals(Secrets.HIDDEN, config.displayed().get("zookeeper.auth.digest"));

        ConfigException failure = assertThrows(ConfigException.class, () -> ShardworkConfig.load(
                write("badsecret.properties", MINIMAL + "zookeeper.auth.digest=nocolon\nkafka.client.ssl.key.pasword=hunter2\n"), name -> null));
        assertFalse(failure.getMessage().contains("nocolon") || failure.getMessage().contains("hunter2"), failure.getMessage());
        assertEquals(2, failure.problems().size(), failure.getMessage());

        // a command-line override of a secret, and the string forms of the config, never show it either
        ShardworkConfig overridden = config.with("zookeeper.auth.digest", "shard:n3wsecret");
        assertEquals("shard:n3wsecret", overridden.zookeeperAuthDigest().orElseThrow());
        for (String text : List.of(overridden.source(), overridden.toString(), overridden.displayed().toString(),
                config.toString(), config.clients().displayed().toString())) {
            assertFalse(text.contains("s3cret") || text.contains("n3wsecret") || text.contains("hunter2"), text);
        }
        ConfigException badOverride = assertThrows(ConfigException.class, () -> config.with("zookeeper.auth.digest", "n0colon"));
        assertFalse(badOverride.getMessage().contains("n0colon"), badOverride.getMessage());
    }

    @Test
    void environmentReferencesAreResolvedAndMissingOnesReported() throws Exception {
        Path file = write("env.properties", MINIMAL + "zookeeper.auth.digest=${env:ZK_DIGEST}\n");
        ShardworkConfig config = ShardworkConfig.load(file, name -> name.equals("ZK_DIGEST") ? "shard:pw" : null);
        assertEquals("shard:pw", config.zookeeperAuthDigest().orElseThrow());

        List<ConfigProblem> problems = problemsOf(file);
        assertTrue(problemFor(problems, "zookeeper.auth.digest").expected().contains("ZK_DIGEST"), problems.toString());
    }

    @Test
    void aKeySetTwiceIsReported() throws Exception {
        List<ConfigProblem> problems = problemsOf(write("twice.properties", MINIMAL + "worker.zone=a\nworker.zone=b\n"));
        assertEquals("it is set more than once", problemFor(problems, "worker.zone").hint());
    }

    @Test
    void handlerSettingsPassThroughWithThePrefixStrippedAndSurviveAnOverride() throws Exception {
        ShardworkConfig config = ShardworkConfig.load(write("handler.properties", MINIMAL
                + "handler=com.acme.Shipments\nhandler.path=/opt/shardwork/plugins\n"
                + "handler.config.output.topic=shipments.tracked\nhandler.config.db.url=jdbc:x\n"), name -> null);
        assertEquals("/opt/shardwork/plugins", config.handlerPath());
        assertEquals(Map.of("output.topic", "shipments.tracked", "db.url", "jdbc:x"), config.handlerSettings());
        assertEquals(config.handlerSettings(), config.with("worker.id", "w-7").handlerSettings());
        assertEquals("plugins", ShardworkConfig.load(write("default.properties", MINIMAL), name -> null).handlerPath());
        assertEquals("handler.config.<name>", problemFor(problemsOf(write("nameless.properties", MINIMAL + "handler.config.=1\n")),
                "handler.config.").expected());
        assertEquals("a string, a directory path", problemFor(problemsOf(write("nopath.properties", MINIMAL + "handler.path=\n")),
                "handler.path").expected());
    }

    @Test
    void overrideRevalidatesAndKeepsEverythingElse() throws Exception {
        ShardworkConfig config = ShardworkConfig.load(write("override.properties", MINIMAL + "kafka.consumer.max.poll.records=5\n"), name -> null);
        ShardworkConfig overridden = config.with("worker.id", "w-7");
        assertEquals("w-7", overridden.workerId());
        assertEquals(config.regions(), overridden.regions());
        assertEquals("5", overridden.clients().consumer().getProperty("max.poll.records"));
        assertThrows(ConfigException.class, () -> config.with("worker.id", "Not Valid"));
    }

    @Test
    void everyDeclaredKeyIsDocumented() {
        for (ConfigKey key : ShardworkConfigDef.keys()) {
            assertTrue(key.doc().length() > 20, "key " + key.name() + " needs a doc sentence");
        }
    }
}
