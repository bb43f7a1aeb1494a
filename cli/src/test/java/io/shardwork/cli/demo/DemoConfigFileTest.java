package io.shardwork.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigFileTest {
    @Test
    void testOwnedKeysAreReplacedInPlaceAndMissingOnesAppended() {
        String base = String.join("\n", "# comment: zookeeper.connect=x", "zookeeper.connect=127.0.0.1:22181",
                "kafka.bootstrap.servers = 127.0.0.1:29092", "regions=eu-west", "");
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("zookeeper.connect", "127.0.0.1:40001");
        overrides.put("kafka.bootstrap.servers", "127.0.0.1:40002");
        overrides.put("delivery", "exactly-once");
        String nl = System.lineSeparator();
        assertEquals(String.join(nl, "# comment: zookeeper.connect=x", "zookeeper.connect=127.0.0.1:40001",
                "kafka.bootstrap.servers=127.0.0.1:40002", "regions=eu-west", "", "# set by the demo", "delivery=exactly-once") + nl,
                DemoConfigFile.rewrite(base, overrides));
    }
}
