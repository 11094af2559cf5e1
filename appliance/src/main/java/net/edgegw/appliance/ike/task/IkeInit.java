package net.edgegw.appliance.ike.task;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.crypto.IkeKeys;
import net.edgegw.appliance.ike.crypto.KeyExchange;
import net.edgegw.appliance.ike.crypto.Prf;
import net.edgegw.appliance.ike.crypto.Signatures;
import net.edgegw.appliance.ike.crypto.SkCiphers;
import net.edgegw.appliance.ike.message.CertEncoding;
import net.edgegw.appliance.ike.message.CertPayload;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.KePayload;
import net.edgegw.appliance.ike.message.NoncePayload;
import net.edgegw.appliance.ike.message.NotifyPayload;
import net.edgegw.appliance.ike.message.NotifyType;
import net.edgegw.appliance.ike.message.Proposal;
import net.edgegw.appliance.ike.message.SaPayload;
import net.edgegw.appliance.ike.message.Transform;
import net.edgegw.appliance.ike.message.TransformType;
import net.edgegw.appliance.ike.sa.CertCredentials;
import net.edgegw.appliance.ike.sa.IkeConfig;
import net.edgegw.appliance.ike.sa.IkeSa;
import net.edgegw.appliance.ike.sa.Proposals;

/**
 * IKE_SA_INIT: proposal, key exchange and nonces, NAT detection, then SKEYSEED and the SK_* keys.
 *
 * <pre>
 * Initiator                         Responder
 * -------------------------------------------------------------------
 * HDR, SAi1, KEi, Ni,
 *   N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP), [N(SIGNATURE_HASH_ALGORITHMS)]  -->
 *                               <--  HDR, SAr1, KEr, Nr, N(NAT_DETECTION_*), [CERTREQ,] [N(SIGNATURE_HASH_ALGORITHMS)]
 * </pre>
 * A responder that wants another group answers {@code N(INVALID_KE_PAYLOAD)} with it; the initiator retries
 * with that group (§1.2). A {@code N(COOKIE)} answer is echoed as the first payload of the retry (§2.6); as
 * responder, {@link net.edgegw.appliance.ike.sa.IkeSaTable} asks for cookies before this task runs.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-1.2">RFC 7296 §1.2, §2.10, §2.14, §2.23</a>
 */
public final class IkeInit extends IkeTask {
    static final int NONCE_LEN = 32;       // our choice: at least half the PRF key size (§2.10) for SHA-512
    static final int MAX_RETRIES = 3;      // INVALID_KE_PAYLOAD / COOKIE rounds before giving up

    private int group;
    private byte[] cookie;
    private int retries;
    private int invalidKeGroup;

    public IkeInit(IkeSa sa, boolean initiator) {
        super(sa, initiator);
        if (initiator) {
            group = Proposals.id(sa.config.ikeProposals().get(0), TransformType.DH, 0);
        }
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.IKE_SA_INIT;
    }

    @Override
    public void build(IkeMessage m) throws IkeProtocolException {
        if (initiator) {
            if (cookie != null) {
                m.add(NotifyPayload.of(NotifyType.COOKIE, cookie)); // §2.6: first payload
            }
            if (sa.ke == null || sa.ke.group() != group) {
                sa.ke = KeyExchange.create(group, sa.ctx.rnd());
            }
            if (sa.ni == null) {
                sa.ni = random(NONCE_LEN);
            }
            m.add(new SaPayload(sa.config.ikeProposals()));
            m.add(new KePayload(group, sa.ke.publicValue()));
            m.add(new NoncePayload(sa.ni));
        } else if (invalidKeGroup != 0) {
            m.add(NotifyPayload.of(NotifyType.INVALID_KE_PAYLOAD, new byte[] {(byte) (invalidKeGroup >>> 8),
                    (byte) invalidKeGroup}));
            return;
        } else {
            m.add(new SaPayload(List.of(sa.ikeProposal)));
            m.add(new KePayload(sa.ke.group(), sa.ke.publicValue()));
            m.add(new NoncePayload(sa.nr));
        }
        addNatDetection(m);
        addFragmentationSupport(m);
        addCertificateSupport(m);
    }

    /**
     * With certificates configured: our CERTREQ in the response (§1.2; the initiator's goes in IKE_AUTH) and
     * SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4: the responder sends it only if the initiator did).
     */
    private void addCertificateSupport(IkeMessage m) {
        CertCredentials c = sa.config.certs();
        if (c == null) {
            return;
        }
        if (!initiator) {
            m.add(new CertPayload(true, CertEncoding.X509_SIGNATURE, c.certReqData()));
        }
        if (initiator || sa.peerSignatureHashes.length > 0) {
            m.add(NotifyPayload.of(NotifyType.SIGNATURE_HASH_ALGORITHMS, Signatures.hashAlgorithmsNotifyData()));
        }
    }

    /** The peer's SIGNATURE_HASH_ALGORITHMS and CERTREQ, kept for IKE_AUTH. */
    static void readCertificateSupport(IkeSa sa, IkeMessage m) {
        NotifyPayload h = m.notify(NotifyType.SIGNATURE_HASH_ALGORITHMS);
        if (h != null) {
            sa.peerSignatureHashes = Signatures.parseHashAlgorithms(h.data());
        }
        for (CertPayload req : m.all(CertPayload.class)) {
            if (req.request() && req.encoding() == CertEncoding.X509_SIGNATURE) {
                byte[] prev = sa.peerCertReq == null ? new byte[0] : sa.peerCertReq;
                byte[] all = java.util.Arrays.copyOf(prev, prev.length + req.data().length);
                System.arraycopy(req.data(), 0, all, prev.length, req.data().length);
                sa.peerCertReq = all;
            }
        }
    }

    @Override
    public Status process(IkeMessage m) throws IkeProtocolException {
        return initiator ? processResponse(m) : processRequest(m);
    }

    private Status processRequest(IkeMessage m) throws IkeProtocolException {
        SaPayload sai = m.get(SaPayload.class);
        KePayload kei = m.get(KePayload.class);
        NoncePayload ni = m.get(NoncePayload.class);
        if (sai == null || kei == null || ni == null) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "IKE_SA_INIT without SA, KE or Nonce");
        }
        Proposal chosen = Proposals.select(sa.config.ikeProposals(), sai.proposals());
        if (chosen == null || !supported(chosen)) {
            throw new IkeProtocolException(IkeProtocolException.NO_PROPOSAL_CHOSEN, "no acceptable IKE proposal");
        }
        int dh = Proposals.id(chosen, TransformType.DH, 0);
        if (kei.group() != dh) {
            // §1.2: tell the initiator which group we want; this SA ends with the response
            invalidKeGroup = dh;
            sa.dieAfterResponse();
            sa.log("INVALID_KE_PAYLOAD: peer sent group " + kei.group() + ", we want " + dh);
            return Status.DONE;
        }
        sa.ikeProposal = chosen;
        sa.fragmentation = sa.config.fragmentSize() > 0 && m.notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED) != null;
        sa.ni = ni.data();
        sa.nr = random(NONCE_LEN);
        sa.ke = KeyExchange.create(dh, sa.ctx.rnd());
        checkNat(m);
        readCertificateSupport(sa, m);
        deriveKeys(sa.ke.sharedSecret(kei.data()));
        return Status.DONE;
    }

    private Status processResponse(IkeMessage m) throws IkeProtocolException {
        NotifyPayload invalidKe = m.notify(NotifyType.INVALID_KE_PAYLOAD);
        NotifyPayload ck = m.notify(NotifyType.COOKIE);
        if ((invalidKe != null || ck != null) && ++retries <= MAX_RETRIES) {
            if (ck != null) {
                cookie = ck.data();
            } else {
                byte[] d = invalidKe.data();
                int want = d.length == 2 ? (d[0] & 0xff) << 8 | (d[1] & 0xff) : -1;
                if (want == group || !offered(want)) {
                    throw new IkeProtocolException(IkeProtocolException.NO_PROPOSAL_CHOSEN,
                            "peer wants key exchange group " + want + ", which we don't offer");
                }
                sa.log("peer wants key exchange group " + want + ", retrying");
                group = want;
            }
            sa.spiR = 0; // §2.6: the retry starts a new responder SA
            return Status.RETRY;
        }
        NotifyPayload err = m.firstError();
        if (err != null) {
            throw new IkeProtocolException(err.notifyType(), "peer answered " + err);
        }
        SaPayload sar = m.get(SaPayload.class);
        KePayload ker = m.get(KePayload.class);
        NoncePayload nr = m.get(NoncePayload.class);
        if (sar == null || ker == null || nr == null || sar.proposals().size() != 1 || m.spiR == 0) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "IKE_SA_INIT response incomplete");
        }
        Proposal chosen = sar.proposals().get(0);
        if (!Proposals.acceptable(sa.config.ikeProposals(), chosen) || !supported(chosen)
                || Proposals.id(chosen, TransformType.DH, 0) != group || ker.group() != group) {
            throw new IkeProtocolException(IkeProtocolException.NO_PROPOSAL_CHOSEN, "responder chose " + chosen);
        }
        sa.spiR = m.spiR;
        sa.ikeProposal = chosen;
        sa.fragmentation = sa.config.fragmentSize() > 0 && m.notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED) != null;
        sa.nr = nr.data();
        checkNat(m);
        readCertificateSupport(sa, m);
        deriveKeys(sa.ke.sharedSecret(ker.data()));
        if (sa.natDetected) {
            // §2.23: after a NAT is detected the initiator moves to port 4500 for IKE_AUTH onwards
            sa.natT = true;
            sa.peer = new InetSocketAddress(sa.peer.getAddress(), IkeConfig.NAT_T_PORT);
        }
        return Status.DONE;
    }

    private boolean offered(int dh) {
        for (Proposal p : sa.config.ikeProposals()) {
            for (Transform t : p.of(TransformType.DH)) {
                if (t.id() == dh) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether we can run this IKE proposal (the SK cipher, PRF and key exchange exist here). */
    static boolean supported(Proposal p) {
        int encr = Proposals.id(p, TransformType.ENCR, -1);
        int integ = Proposals.id(p, TransformType.INTEG, SkCiphers.AUTH_NONE);
        return SkCiphers.supported(encr, Proposals.keyLength(p), integ)
                && Prf.supported(Proposals.id(p, TransformType.PRF, -1))
                && KeyExchange.supported(Proposals.id(p, TransformType.DH, -1));
    }

    /** SKEYSEED and SK_* (§2.14), then one SK cipher per direction. */
    private void deriveKeys(byte[] gir) {
        Proposal p = sa.ikeProposal;
        useKeys(sa, p, keys(p, gir, sa.ni, sa.nr, sa.spiI, sa.spiR));
    }

    /** The SK_* of a chosen IKE proposal (§2.14): key lengths from its ENCR (with salt) and INTEG transforms. */
    static IkeKeys keys(Proposal p, byte[] gir, byte[] ni, byte[] nr, long spiI, long spiR) {
        return IkeKeys.derive(Prf.of(Proposals.id(p, TransformType.PRF, -1)), gir, ni, nr, spiI, spiR, encKeyLen(p),
                integKeyLen(p));
    }

    static int encKeyLen(Proposal p) {
        return SkCiphers.keyLength(Proposals.id(p, TransformType.ENCR, -1), Proposals.keyLength(p));
    }

    static int integKeyLen(Proposal p) {
        int integ = Proposals.id(p, TransformType.INTEG, SkCiphers.AUTH_NONE);
        return integ == SkCiphers.AUTH_NONE ? 0 : SkCiphers.integKeyLength(integ);
    }

    /** Gives {@code target} its PRF, SK_* and one SK cipher per direction. */
    static void useKeys(IkeSa target, Proposal p, IkeKeys k) {
        int encr = Proposals.id(p, TransformType.ENCR, -1);
        int bits = Proposals.keyLength(p);
        int integ = Proposals.id(p, TransformType.INTEG, SkCiphers.AUTH_NONE);
        boolean aead = integ == SkCiphers.AUTH_NONE;
        target.ikeProposal = p;
        target.prf = Prf.of(Proposals.id(p, TransformType.PRF, -1));
        target.keysReady(k,
                SkCiphers.create(encr, bits, integ, k.skEi(), aead ? null : k.skAi(), target.ctx.rnd()),
                SkCiphers.create(encr, bits, integ, k.skEr(), aead ? null : k.skAr(), target.ctx.rnd()));
        target.log("IKE SA keys derived: " + p);
    }

    /** RFC 7383 §2.3: announced by the initiator if configured; by the responder only in answer to it. */
    private void addFragmentationSupport(IkeMessage m) {
        if (sa.config.fragmentSize() > 0 && (initiator || sa.fragmentation)) {
            m.add(NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
        }
    }

    private void addNatDetection(IkeMessage m) {
        InetSocketAddress local = sa.config.local();
        byte[] src = natHash(m.spiI, m.spiR, local);
        if (sa.config.forceEncap()) {
            src = random(src.length); // pretend to be behind a NAT so ESP goes in UDP (strongSwan's encap=yes)
        }
        m.add(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, src));
        m.add(NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, natHash(m.spiI, m.spiR, sa.peer)));
    }

    /** §2.23: a source hash that matches none of the sender's addresses, or a destination hash not ours, is a NAT. */
    private void checkNat(IkeMessage m) {
        List<NotifyPayload> all = m.all(NotifyPayload.class);
        boolean sawSrc = false;
        boolean srcMatch = false;
        boolean dstMatch = true;
        byte[] peerHash = natHash(m.spiI, m.spiR, sa.peer);
        byte[] ourHash = natHash(m.spiI, m.spiR, sa.config.local());
        for (NotifyPayload n : all) {
            if (n.notifyType() == NotifyType.NAT_DETECTION_SOURCE_IP.value()) {
                sawSrc = true;
                srcMatch |= MessageDigest.isEqual(n.data(), peerHash);
            } else if (n.notifyType() == NotifyType.NAT_DETECTION_DESTINATION_IP.value()) {
                dstMatch = MessageDigest.isEqual(n.data(), ourHash);
            }
        }
        boolean remoteNat = sawSrc && !srcMatch;
        boolean localNat = sawSrc && !dstMatch;
        sa.natDetected = remoteNat || localNat || (sawSrc && sa.config.forceEncap());
        sa.behindNat = localNat;
        sa.peerBehindNat = remoteNat;
        if (sa.natDetected) {
            sa.log("NAT detected (" + (localNat ? "us" : "") + (remoteNat ? " peer" : "")
                    + (sa.config.forceEncap() ? " forced" : "") + "): ESP in UDP");
        }
    }

    /** SHA-1(SPIi | SPIr | IP | Port), RFC 7296 §2.23. */
    static byte[] natHash(long spiI, long spiR, InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(16 + ip.length + 2).putLong(spiI).putLong(spiR).put(ip)
                .putShort((short) a.getPort());
        try {
            return MessageDigest.getInstance("SHA-1").digest(b.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is in every JDK", e);
        }
    }

    private byte[] random(int n) {
        byte[] b = new byte[n];
        sa.ctx.rnd().nextBytes(b);
        return b;
    }
}
