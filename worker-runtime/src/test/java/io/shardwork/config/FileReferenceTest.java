package io.shardwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ${file:PATH:KEY}} references, as Kafka's FileConfigProvider reads them. */
class FileReferenceTest {
    private static final String MINIMAL = String.join("\n",
            "zookeeper.connect=127.0.0.1:2181",
            "kafka.bootstrap.servers=127.0.0.1:9092",
            "deployment.environment=development",
            "regions=eu",
            "region.eu.partition=0",
            "");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private List<ConfigProblem> problemsOf(Path file) {
        return assertThrows(ConfigException.class, () -> ShardworkConfig.load(file, name -> null)).problems();
    }

    @Test
    void aFileReferenceResolvesToTheKeysValue() throws Exception {
        Path secrets = write("secrets.properties", "zk.digest=shard:s3cret\nkafka.jaas=org.Module required;\n");
        Path file = write("w.properties", MINIMAL
                + "zookeeper.auth.digest=${file:" + secrets + ":zk.digest}\n"
                + "kafka.client.sasl.jaas.config=${file:" + secrets + ":kafka.jaas}\n");
        ShardworkConfig config = ShardworkConfig.load(file, name -> null);
        assertEquals("shard:s3cret", config.zookeeperAuthDigest().orElseThrow());
    }

    @Test
    void fileAndEnvironmentReferencesMixInOneValue() throws Exception {
        Path secrets = write("pw.properties", "password=s3cret\n");
        Path file = write("w.properties", MINIMAL + "zookeeper.auth.digest=${env:ZK_USER}:${file:" + secrets + ":password}\n");
        ShardworkConfig config = ShardworkConfig.load(file, name -> name.equals("ZK_USER") ? "shard" : null);
        assertEquals("shard:s3cret", config.zookeeperAuthDigest().orElseThrow());
    }

    @Test
    void aMissingFileIsReportedWithTheKeyTheFileAndTheReference() throws Exception {
        Path absent = dir.resolve("absent.properties");
        String reference = "${file:" + absent + ":password}";
        List<ConfigProblem> problems = problemsOf(write("w.properties", MINIMAL + "zookeeper.auth.digest=shard:" + reference + "\n"));
        assertEquals(1, problems.size(), problems.toString());
        ConfigProblem problem = problems.get(0);
        assertEquals("zookeeper.auth.digest", problem.key());
        assertTrue(problem.message().contains(reference), problem.message());
        assertTrue(problem.message().contains(absent + " does not exist"), problem.message());
        assertFalse(problem.message().contains("shard:"), "the value of a secret key stays hidden: " + problem.message());
    }

    @Test
    void aMissingKeyIsReportedAndEveryProblemOfTheFileTogether() throws Exception {
        Path secrets = write("secrets.properties", "other=1\n");
        String reference = "${file:" + secrets + ":password}";
        List<ConfigProblem> problems = problemsOf(write("w.properties", MINIMAL
                + "zookeeper.auth.digest=" + reference + "\n"
                + "kafka.client.ssl.truststore.password=${env:NOT_SET}\n"
                + "worker.capacity=0\n"));
        assertEquals(3, problems.size(), problems.toString());
        ConfigProblem missingKey = problems.stream().filter(p -> p.key().equals("zookeeper.auth.digest")).findFirst().orElseThrow();
        assertTrue(missingKey.message().contains("has no key 'password'") && missingKey.message().contains(reference)
                && missingKey.message().contains(secrets.toString()), missingKey.message());
    }

    @Test
    void aFileThatIsNotPropertiesIsReported() throws Exception {
        Path broken = write("broken.properties", "bad=\\u00zz\n");
        List<ConfigProblem> problems = problemsOf(write("w.properties", MINIMAL + "zookeeper.auth.digest=${file:" + broken + ":bad}\n"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("cannot be read as Java properties"), problems.get(0).message());
    }
}
