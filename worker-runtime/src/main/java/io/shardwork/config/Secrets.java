package io.shardwork.config;

import java.util.Locale;

/** Decides which values are never printed. */
public final class Secrets {
    public static final String HIDDEN = "[hidden]";

    private Secrets() {
    }

    /**
     * Whether a key may hold a secret (passwords, JAAS configs, keys, digests, tokens), so that its value is
     * hidden wherever it is shown. Deliberately fuzzy: a misspelt "ssl.key.pasword" must stay hidden too.
     */
    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String marker : SECRET_MARKERS) {
            if (lower.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    private static final String[] SECRET_MARKERS = {
            "pass", "pasw", "pwd", "secret", "jaas", "sasl", "key", "digest", "cred", "token", "auth"};

    public static String display(String key, String value) {
        return isSecretKey(key) ? HIDDEN : value;
    }
}
