package io.shardwork.coordination;

import java.util.HashSet;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the ACL of every existing node under a cluster root to the one the runtime creates nodes with.
 * An ACL is set only when a node is created, so a layout first written without credentials (or by an older
 * version) would otherwise stay writable by anyone after credentials are configured.
 *
 * <p>Top-down: a node's ACL is fixed before its children are listed, so a child created concurrently by
 * a client without the credentials is either listed (and fixed) or refused by its parent's new ACL.
 * Blocks on ZooKeeper: one getACL per node, one setACL per node that differs. Runs at worker start only.
 */
public final class LayoutAcls {
    private static final Logger LOG = LoggerFactory.getLogger(LayoutAcls.class);

    private LayoutAcls() {
    }

    /**
     * Secures {@code root} and everything below it.
     *
     * @return how many nodes had their ACL changed
     * @throws LayoutAccessDeniedException when a node's ACL cannot be read or changed with this client's
     *                                     credentials: the layout belongs to another identity
     */
    public static int secure(CuratorFramework client, String root, List<ACL> acl) throws Exception {
        int changed = secureNode(client, root, acl);
        if (changed > 0) {
            LOG.info("Set the deployment's ACL on {} existing node(s) under {} that had another one.", changed, root);
        }
        return changed;
    }

    private static int secureNode(CuratorFramework client, String path, List<ACL> acl) throws Exception {
        int changed = 0;
        List<String> children;
        try {
            Stat stat = new Stat();
            List<ACL> current = client.getACL().storingStatIn(stat).forPath(path);
            if (!new HashSet<>(current).equals(new HashSet<>(acl))) {
                try {
                    client.setACL().withVersion(stat.getAversion()).withACL(acl).forPath(path);
                    changed++;
                } catch (KeeperException.BadVersionException concurrent) {
                    return secureNode(client, path, acl); // another worker fixed it first; check again
                }
            }
            children = client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            return 0;
        } catch (KeeperException.NoAuthException denied) {
            throw new LayoutAccessDeniedException("The ZooKeeper node " + path + " cannot be secured with the configured"
                    + " credentials (zookeeper.auth.digest): the layout belongs to another identity. Use the"
                    + " deployment's credentials, or another cluster.name.", denied);
        }
        for (String child : children) {
            changed += secureNode(client, path + "/" + child, acl);
        }
        return changed;
    }
}
