package net.edgegw.mgmt.api;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;
import net.edgegw.mgmt.port.ConfigItem;
import net.edgegw.mgmt.port.ConfigStore;
import net.edgegw.mgmt.port.Peer;
import net.edgegw.mgmt.port.Secret;

/**
 * Peers: an IP literal or a DNS name, the IKE identities, and how they authenticate. The pre-shared key is
 * write-only: a read says {@code pskSet}, a replace without {@code psk} keeps the stored key.
 */
final class PeerCodec implements ItemCodec<Peer> {
    static final Set<String> FIELDS = Set.of("name", "address", "localId", "remoteId", "auth", "psk", "pskSet",
            "certificate", "ca", "ikeProposals", "description");
    /** The appliance's rule (ConfigValidator.MIN_PSK_LENGTH): a PSK is a key, not a password. */
    static final int MIN_PSK = 16;
    static final int MAX_PSK = 1024;
    // RFC 1123 §2.1 host names: labels of letters, digits and '-', dot-separated.
    private static final String LABEL = "[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?";
    private static final Pattern HOST = Pattern.compile("(?=.{1,253}$)" + LABEL + "(\\." + LABEL + ")*");
    /** One proposal in strongSwan syntax, e.g. {@code aes128gcm16-prfsha256-x25519}; the store parses it fully. */
    private static final Pattern PROPOSAL = Pattern.compile("[a-z0-9_]+(-[a-z0-9_]+)*");

    @Override
    public ConfigItem.Kind kind() {
        return ConfigItem.Kind.PEER;
    }

    @Override
    public Peer decode(String name, Fields f, ConfigStore store) {
        f.only(FIELDS);
        String address = f.string("address", true, 253);
        if (f.ok("address") && Cidr.literal(address) == null && !HOST.matcher(address).matches()) {
            f.problem("address", "must be an IP address or a DNS name");
        }
        String localId = f.string("localId", false, Fields.MAX_TEXT);
        String remoteId = f.string("remoteId", true, Fields.MAX_TEXT);
        Peer.Auth auth = Peer.Auth.of(f.oneOf("auth", Set.of("psk", "certificate"), null));
        Secret psk = psk(f, auth, name, store);
        String certificate = reference(f, "certificate", auth);
        String ca = reference(f, "ca", auth);
        String proposals = f.string("ikeProposals", false, 1024);
        if (f.ok("ikeProposals")) {
            for (String p : proposals.split(",")) {
                if (!p.isBlank() && !PROPOSAL.matcher(p.strip()).matches()) {
                    f.problem("ikeProposals", "'" + p.strip() + "' is not a proposal such as"
                            + " aes128gcm16-prfsha256-x25519 (list them separated by ', ')");
                    break;
                }
            }
        }
        return new Peer(name, address, localId, remoteId, auth, psk, certificate, ca,
                String.join(", ", Fields.list(proposals)),
                f.string("description", false, Fields.MAX_TEXT));
    }

    /** The new key, or null to keep the stored one (a replace of a peer that has a key). */
    private static Secret psk(Fields f, Peer.Auth auth, String name, ConfigStore store) {
        String psk = f.string("psk", false, MAX_PSK);
        if (!f.ok("psk") || auth == null) {
            return null;
        }
        if (auth != Peer.Auth.PSK) {
            if (!psk.isEmpty()) {
                f.problem("psk", "only with auth psk");
            }
            return null;
        }
        if (psk.isEmpty()) {
            boolean stored = store.get(ConfigItem.Kind.PEER, name).map(p -> ((Peer) p).pskSet()).orElse(false);
            if (!stored) {
                f.problem("psk", "a pre-shared key is required with auth psk");
            }
            return null;
        }
        if (psk.codePointCount(0, psk.length()) < MIN_PSK) {
            f.problem("psk", "must be at least " + MIN_PSK + " characters");
        }
        return Secret.of(psk);
    }

    private static String reference(Fields f, String field, Peer.Auth auth) {
        String s = f.string(field, auth == Peer.Auth.CERTIFICATE, 63);
        if (auth != Peer.Auth.CERTIFICATE && !s.isEmpty() && f.ok(field)) {
            f.problem(field, "only with auth certificate");
        }
        return auth == Peer.Auth.CERTIFICATE ? s : "";
    }

    @Override
    public JsonObject encode(Peer p) {
        return new JsonObject().put("name", p.name()).put("address", p.address()).put("localId", p.localId())
                .put("remoteId", p.remoteId()).put("auth", p.auth() == null ? "" : p.auth().id())
                .put("pskSet", p.pskSet()).put("certificate", p.certificate()).put("ca", p.ca())
                .put("ikeProposals", p.ikeProposals()).put("description", p.description());
    }
}
