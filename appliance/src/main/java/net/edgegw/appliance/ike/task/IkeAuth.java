package net.edgegw.appliance.ike.task;

import java.io.ByteArrayInputStream;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.crypto.Auth;
import net.edgegw.appliance.ike.crypto.CertificateChecks;
import net.edgegw.appliance.ike.crypto.Signatures;
import net.edgegw.appliance.ike.message.AuthMethod;
import net.edgegw.appliance.ike.message.AuthPayload;
import net.edgegw.appliance.ike.message.CertEncoding;
import net.edgegw.appliance.ike.message.CertPayload;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IdPayload;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.NotifyPayload;
import net.edgegw.appliance.ike.message.NotifyType;
import net.edgegw.appliance.ike.message.PayloadType;
import net.edgegw.appliance.ike.sa.CertCredentials;
import net.edgegw.appliance.ike.sa.IkeCounter;
import net.edgegw.appliance.ike.sa.IkeSa;

/**
 * IKE_AUTH: identities and AUTH over the IKE_SA_INIT messages, with a pre-shared key or with certificates (the
 * CHILD SA part is {@link ChildCreate}, which runs in the same exchange).
 *
 * <pre>
 * HDR, SK {IDi, [CERT,] [CERTREQ,] [IDr,] AUTH, SAi2, TSi, TSr}  -->
 *                                <--  HDR, SK {IDr, [CERT,] AUTH, SAr2, TSi, TSr}
 * AUTH (PSK)       = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 * AUTH (signature) = sign(private key, <SignedOctets>)   method 14 (RFC 7427), or 9/10/11 (RFC 4754)
 * InitiatorSignedOctets = RealMessage1 | NonceRData | prf(SK_pi, IDi')
 * ResponderSignedOctets = RealMessage2 | NonceIData | prf(SK_pr, IDr')
 * </pre>
 * With certificates, the peer's first CERT (X.509 Certificate - Signature) is its end-entity certificate, the
 * others intermediates; the chain must validate (PKIX) up to a configured CA, the certificate must name the
 * peer's ID (RFC 4945 §3.1), and AUTH must verify with its public key. Any failure is AUTHENTICATION_FAILED.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-2.15">RFC 7296 §1.2, §2.15</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7427#section-3">RFC 7427 §3, §4</a>
 */
public final class IkeAuth extends IkeTask {
    private static final int MAX_CERTS = 8; // our limit on CERT payloads read from one message

    public IkeAuth(IkeSa sa, boolean initiator) {
        super(sa, initiator);
    }

    @Override
    public ExchangeType exchange() {
        return ExchangeType.IKE_AUTH;
    }

    @Override
    public void build(IkeMessage m) {
        IdPayload id = IdPayload.parse(initiator, sa.config.localId());
        CertCredentials certs = sa.config.certs();
        m.add(id);
        if (certs != null) {
            addCerts(m, certs);
        }
        if (initiator) {
            m.add(NotifyPayload.of(NotifyType.INITIAL_CONTACT)); // §2.4: no other IKE SA with this peer survives
            if (sa.config.remoteId() != null && !sa.config.remoteId().isEmpty()) {
                m.add(IdPayload.parse(false, sa.config.remoteId()));
            }
        }
        byte[] octets = octets(initiator, id);
        m.add(certs == null
                ? new AuthPayload(AuthMethod.SHARED_KEY_MIC.value(), Auth.psk(sa.prf, sa.config.psk(), octets))
                : signature(certs.key(), octets));
    }

    /** Our CERT chain (the peer's CERTREQ is honoured by always sending it) and, as initiator, our CERTREQ. */
    private void addCerts(IkeMessage m, CertCredentials certs) {
        if (sa.peerCertReq != null && !certs.requestedBy(sa.peerCertReq)) {
            sa.log("peer's CERTREQ does not name our CA; sending our certificate anyway");
        }
        m.add(new CertPayload(false, CertEncoding.X509_SIGNATURE, encoded(certs.cert())));
        for (X509Certificate c : certs.intermediates()) {
            m.add(new CertPayload(false, CertEncoding.X509_SIGNATURE, encoded(c)));
        }
        if (initiator) {
            m.add(new CertPayload(true, CertEncoding.X509_SIGNATURE, certs.certReqData()));
        }
    }

    /**
     * Method 14 with a hash the peer announced (RFC 7427 §4); without the notify, RFC 4754 for an ECDSA key on its
     * curve, else method 14 with SHA-256 (RSA method 1 would mean SHA-1, which we don't sign with, RFC 8247).
     */
    private AuthPayload signature(PrivateKey key, byte[] octets) {
        String hash = Signatures.preferredHash(key, sa.peerSignatureHashes);
        if (hash == null && sa.peerSignatureHashes.length == 0 && key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            int method = bits == 256 ? Auth.ECDSA_SHA256_P256 : bits == 384 ? Auth.ECDSA_SHA384_P384
                    : Auth.ECDSA_SHA512_P521;
            return new AuthPayload(method, Signatures.signClassic(key, method, octets));
        }
        return new AuthPayload(Auth.DIGITAL_SIGNATURE, Signatures.sign(key, octets, hash == null ? Signatures.SHA256
                : hash));
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate re-encodes", e);
        }
    }

    /** The octets the side {@code signerIsInitiator} signs (§2.15). */
    private byte[] octets(boolean signerIsInitiator, IdPayload id) {
        return signerIsInitiator
                ? Auth.signedOctets(sa.initRequest, sa.nr, sa.prf, sa.keys.skPi(), id.body())
                : Auth.signedOctets(sa.initResponse, sa.ni, sa.prf, sa.keys.skPr(), id.body());
    }

    @Override
    public Status process(IkeMessage m) throws IkeProtocolException {
        if (initiator) {
            NotifyPayload err = m.firstError();
            if (err != null && m.get(AuthPayload.class) == null) {
                throw new IkeProtocolException(err.notifyType(), "peer answered " + err);
            }
        } else {
            IkeInit.readCertificateSupport(sa, m); // the initiator's CERTREQ comes in IKE_AUTH
        }
        IdPayload id = (IdPayload) m.get(initiator ? PayloadType.IDR : PayloadType.IDI);
        AuthPayload auth = m.get(AuthPayload.class);
        if (id == null || auth == null) {
            throw failed("no ID or AUTH payload");
        }
        if (!IdPayload.parse(!initiator, sa.config.remoteId()).sameIdentity(id)) {
            throw failed("peer identity " + id.text() + " is not " + sa.config.remoteId());
        }
        byte[] octets = octets(!initiator, id);
        CertCredentials certs = sa.config.certs();
        if (certs == null) {
            if (auth.authMethod() != AuthMethod.SHARED_KEY_MIC
                    || !Auth.verifyPsk(sa.prf, sa.config.psk(), octets, auth.data())) {
                throw failed("AUTH of " + id.text() + " (" + auth.authMethod() + ") does not verify");
            }
            sa.log("peer " + id.text() + " authenticated with PSK");
        } else {
            X509Certificate peer = verifyCertificate(m, id, certs);
            if (!Signatures.verify(peer.getPublicKey(), auth.method(), auth.data(), octets)) {
                throw failed("AUTH of " + id.text() + " (" + auth.authMethod() + ") does not verify with its "
                        + peer.getPublicKey().getAlgorithm() + " key");
            }
            sa.log("peer " + id.text() + " authenticated with " + peer.getPublicKey().getAlgorithm() + " certificate "
                    + peer.getSubjectX500Principal() + " (" + auth.authMethod() + ")");
        }
        if (!initiator && m.notify(NotifyType.INITIAL_CONTACT) != null) {
            sa.initialContact();
        }
        sa.state = IkeSa.State.ESTABLISHED; // the responder's CHILD SA task runs only after this
        sa.count(IkeCounter.IKE_SAS_ESTABLISHED);
        sa.log("IKE SA established");
        return Status.DONE;
    }

    /** The peer's end-entity certificate once its chain validates to one of our CAs and it names {@code id}. */
    private X509Certificate verifyCertificate(IkeMessage m, IdPayload id, CertCredentials certs)
            throws IkeProtocolException {
        List<X509Certificate> chain = new ArrayList<>();
        for (CertPayload c : m.all(CertPayload.class)) {
            if (!c.request() && c.encoding() == CertEncoding.X509_SIGNATURE && chain.size() < MAX_CERTS) {
                X509Certificate x = parse(c.data());
                if (x == null) {
                    throw failed("CERT payload is not a DER X.509 certificate");
                }
                chain.add(x);
            }
        }
        if (chain.isEmpty()) {
            throw failed("no X.509 CERT payload from " + id.text());
        }
        X509Certificate leaf = chain.get(0);
        CertificateChecks.Result path = CertificateChecks.validate(leaf, chain.subList(1, chain.size()),
                certs.trustAnchors(), List.of(), Date.from(certs.clock().instant()));
        if (!path.ok()) {
            throw failed("certificate " + leaf.getSubjectX500Principal() + " does not validate: " + path.reason());
        }
        // ID_KEY_ID names nothing in a certificate: it matches when it is the configured one (checked above)
        CertificateChecks.Result name = CertificateChecks.matchesId(leaf, id.idType().value(), id.data(),
                id.idType() == net.edgegw.appliance.ike.message.IdType.KEY_ID ? id.data() : null);
        if (!name.ok()) {
            throw failed("certificate " + leaf.getSubjectX500Principal() + " does not name " + id.text() + ": "
                    + name.reason());
        }
        return leaf;
    }

    private static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            return null; // peer input
        }
    }

    private static IkeProtocolException failed(String why) {
        return new IkeProtocolException(IkeProtocolException.AUTHENTICATION_FAILED, why);
    }
}
