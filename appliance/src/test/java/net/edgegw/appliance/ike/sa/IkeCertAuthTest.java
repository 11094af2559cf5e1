package net.edgegw.appliance.ike.sa;

import static net.edgegw.appliance.ike.sa.IkeExchangeTest.addr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import net.edgegw.appliance.config.CertificateRef;
import net.edgegw.appliance.config.Pki;
import net.edgegw.appliance.ike.codec.IkeCodec;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.sa.IkeExchangeTest.FakeInstaller;
import net.edgegw.appliance.ike.sa.IkeExchangeTest.Sent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Certificate authentication in IKE_AUTH between two in-process IKE SAs: CERT + CERTREQ + signature AUTH with
 * certificates from the built-in CA ({@link Pki}), and the failures that must end in AUTHENTICATION_FAILED.
 */
class IkeCertAuthTest {
    static final InetSocketAddress A = IkeExchangeTest.A;
    static final InetSocketAddress B = IkeExchangeTest.B;
    static final Clock NOW = Clock.systemUTC();
    static final CertificateRef CA = Pki.createCa("ca", "EdgeGW Test CA", Duration.ofDays(365), NOW).value();
    static final CertificateRef OTHER_CA = Pki.createCa("other", "Other CA", Duration.ofDays(365), NOW).value();

    /** The two in-process gateways with fake senders and installers, a seeded random and a manual clock. */
    final IkeExchangeTest net = new IkeExchangeTest();
    final Deque<Sent> fromA = net.fromA;
    final Deque<Sent> fromB = net.fromB;
    final FakeInstaller instA = net.instA;
    final FakeInstaller instB = net.instB;
    final List<String> log = net.log;
    IkeSaTable gwA;
    IkeSaTable gwB;
    IkeConfig cfgA;

    static CertCredentials creds(CertificateRef ca, String cn, List<String> sans, Pki.KeyType type, Clock issuedAt,
            Duration validity, CertificateRef... trusted) {
        CertificateRef gw = Pki.issue(ca, cn, cn, sans, validity, issuedAt, type).value();
        List<X509Certificate> anchors = new ArrayList<>();
        for (CertificateRef t : trusted) {
            anchors.add(Pki.parseCertificate(t.certificatePem()));
        }
        return new CertCredentials(Pki.parseCertificate(gw.certificatePem()), Pki.parsePrivateKey(gw.privateKeyPem()),
                List.of(), anchors, NOW);
    }

    static CertCredentials creds(String cn, Pki.KeyType type) {
        return creds(CA, cn, List.of(cn), type, NOW, Duration.ofDays(30), CA);
    }

    static IkeConfig config(String name, InetSocketAddress local, InetSocketAddress remote, String localId,
            String remoteId, String localTs, String remoteTs, CertCredentials c) {
        return IkeExchangeTest.config(name, local, remote, localId, remoteId, IkeExchangeTest.PSK, "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", localTs, remoteTs).withCerts(c);
    }

    void start(CertCredentials a, String aId, CertCredentials b, String bId) {
        start(a, aId, bId, b, bId, aId);
    }

    /** A claims {@code aId} and expects {@code aWants}; B claims {@code bId} and expects {@code bWants}. */
    void start(CertCredentials a, String aId, String aWants, CertCredentials b, String bId, String bWants) {
        start(config("a", A, B, aId, aWants, "10.244.1.0/24", "10.96.1.0/24", a),
                config("b", B, A, bId, bWants, "10.96.1.0/24", "10.244.1.0/24", b));
    }

    void start(IkeConfig a, IkeConfig b) {
        net.start(a, b);
        cfgA = a;
        gwA = net.gwA;
        gwB = net.gwB;
    }

    /** Delivers everything A sent (an RSA certificate makes IKE_AUTH go as several SKF fragments); returns the first. */
    Sent aToB() {
        Sent first = fromA.peek();
        for (Sent s; (s = fromA.poll()) != null; ) {
            gwB.receive(s.msg(), s.natT() ? addr("192.0.2.1", 4500) : A, s.natT() ? 4500 : 500);
        }
        return first;
    }

    Sent bToA() {
        Sent first = fromB.peek();
        for (Sent s; (s = fromB.poll()) != null; ) {
            gwA.receive(s.msg(), s.natT() ? addr("192.0.2.2", 4500) : B, s.natT() ? 4500 : 500);
        }
        return first;
    }

    /** IKE_SA_INIT and IKE_AUTH; returns the IKE_AUTH request's size (it carries CERT and CERTREQ). */
    int exchange() {
        gwA.initiate(cfgA);
        // IKE_SA_INIT { SAi1, KEi, Ni, N(NATD_S), N(NATD_D), N(SIGNATURE_HASH_ALGORITHMS) } -->
        assertEquals(ExchangeType.IKE_SA_INIT, aToB().exchange());
        //      <-- { SAr1, KEr, Nr, N(NATD_S), N(NATD_D), CERTREQ, N(SIGNATURE_HASH_ALGORITHMS) }
        assertEquals(ExchangeType.IKE_SA_INIT, bToA().exchange());
        // IKE_AUTH { IDi, CERT, CERTREQ, N(INITIAL_CONTACT), IDr, AUTH, SAi2, TSi, TSr } -->  (maybe as SKF)
        int size = fromA.stream().mapToInt(s -> s.msg().length).sum();
        assertEquals(ExchangeType.IKE_AUTH, IkeCodec.peekExchange(fromA.peek().msg()));
        aToB();
        //                      <-- { IDr, CERT, AUTH, SAr2, TSi, TSr }  or  { N(AUTHENTICATION_FAILED) }
        assertEquals(ExchangeType.IKE_AUTH, bToA().exchange());
        return size;
    }

    void assertEstablished() {
        assertEquals(1, gwA.list().size(), String.join("\n", log));
        assertEquals(IkeSa.State.ESTABLISHED, gwA.list().get(0).state);
        assertEquals(IkeSa.State.ESTABLISHED, gwB.list().get(0).state);
        assertEquals(1, instA.installed.size());
        assertEquals(instA.installed.get(0).spiOut, instB.installed.get(0).spiIn);
    }

    void assertAuthFailedAtB(String why) {
        assertTrue(gwA.list().isEmpty(), "A's IKE SA ends on AUTHENTICATION_FAILED");
        assertTrue(gwB.list().isEmpty(), "B keeps no IKE SA");
        assertEquals(0, instA.installs + instB.installs);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("B") && l.contains(why)), String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("A") && l.contains("AUTHENTICATION_FAILED")),
                String.join("\n", log));
    }

    @ParameterizedTest
    @EnumSource(Pki.KeyType.class)
    void certificatesOfEachKeyTypeAuthenticateWithDigitalSignature(Pki.KeyType type) throws Exception {
        CertCredentials a = creds("gw-a.example.test", type);
        CertCredentials b = creds("gw-b.example.test", type);
        start(a, "gw-a.example.test", b, "gw-b.example.test");
        int authSize = exchange();
        assertEstablished();
        String alg = a.cert().getPublicKey().getAlgorithm();
        for (String side : List.of("A", "B")) {
            assertTrue(log.stream().anyMatch(l -> l.startsWith(side) && l.contains("authenticated with " + alg)
                    && l.contains("(DIGITAL_SIGNATURE)")), String.join("\n", log));
        }
        assertTrue(authSize > a.cert().getEncoded().length, "IKE_AUTH carries the certificate");
        // CERTREQ: each side holds the other's SHA-1(SubjectPublicKeyInfo) of the CA (RFC 7296 §3.7)
        assertArrayEquals(b.certReqData(), gwA.list().get(0).peerCertReq);
        assertArrayEquals(a.certReqData(), gwB.list().get(0).peerCertReq);
        assertTrue(a.requestedBy(gwA.list().get(0).peerCertReq));
        assertEquals(20, a.certReqData().length);
    }

    @Test
    void mixedKeyTypesAndAddressAndDnIdentities() {
        CertCredentials a = creds(CA, "gw-a", List.of("192.0.2.1"), Pki.KeyType.RSA_2048, NOW, Duration.ofDays(30),
                CA);
        CertCredentials b = creds(CA, "gw-b", List.of("gw-b.example.test"), Pki.KeyType.ED25519, NOW,
                Duration.ofDays(30), CA);
        start(a, "192.0.2.1", "CN=gw-b", b, "asn1dn:CN=gw-b", "ipv4:192.0.2.1");
        exchange();
        assertEstablished();
    }

    @Test
    void peerWithoutHashAlgorithmsGetsClassicEcdsa() {
        start(creds("gw-a.example.test", Pki.KeyType.ECDSA_P256), "gw-a.example.test",
                creds("gw-b.example.test", Pki.KeyType.ECDSA_P256), "gw-b.example.test");
        gwA.initiate(cfgA);
        aToB();
        bToA();
        IkeSa a = gwA.list().get(0);
        IkeSa b = gwB.list().get(0);
        b.peerSignatureHashes = new int[0]; // as if A had not sent SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4)
        aToB();
        bToA();
        assertEstablished();
        assertTrue(log.stream().anyMatch(l -> l.startsWith("A") && l.contains("(ECDSA_SHA256_P256)")),
                String.join("\n", log));
        assertEquals(IkeSa.State.ESTABLISHED, a.state);
    }

    @Test
    void certificateFromAnotherCaFails() {
        CertCredentials a = creds(OTHER_CA, "gw-a.example.test", List.of("gw-a.example.test"), Pki.KeyType.ECDSA_P256,
                NOW, Duration.ofDays(30), CA);
        start(a, "gw-a.example.test", creds("gw-b.example.test", Pki.KeyType.ECDSA_P256), "gw-b.example.test");
        exchange();
        assertAuthFailedAtB("does not validate");
        assertTrue(!a.requestedBy(gwA.list().isEmpty() ? creds("x", Pki.KeyType.ECDSA_P256).certReqData() : null),
                "a CERTREQ for our test CA does not name the other CA");
    }

    @Test
    void identityTheCertificateDoesNotNameFails() {
        // A's certificate names gw-a.example.test only; A claims mallory.example.test, which B expects
        start(creds("gw-a.example.test", Pki.KeyType.ECDSA_P256), "mallory.example.test", "gw-b.example.test",
                creds("gw-b.example.test", Pki.KeyType.ECDSA_P256), "gw-b.example.test", "mallory.example.test");
        exchange();
        assertAuthFailedAtB("does not name mallory.example.test");
    }

    @Test
    void expiredCertificateFails() {
        Clock longAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(60)), ZoneOffset.UTC);
        CertCredentials a = creds(CA, "gw-a.example.test", List.of("gw-a.example.test"), Pki.KeyType.ED25519,
                longAgo, Duration.ofDays(10), CA);
        start(a, "gw-a.example.test", creds("gw-b.example.test", Pki.KeyType.ECDSA_P256), "gw-b.example.test");
        exchange();
        assertAuthFailedAtB("does not validate");
        assertTrue(log.stream().anyMatch(l -> l.contains("EXPIRED")), String.join("\n", log));
    }

    @Test
    void responderCertificateRejectedByInitiator() {
        CertCredentials b = creds(OTHER_CA, "gw-b.example.test", List.of("gw-b.example.test"), Pki.KeyType.RSA_2048,
                NOW, Duration.ofDays(30), CA);
        start(creds("gw-a.example.test", Pki.KeyType.ECDSA_P256), "gw-a.example.test", b, "gw-b.example.test");
        exchange();
        assertTrue(gwA.list().isEmpty(), "A authenticates nobody: no IKE SA");
        assertEquals(0, instA.installs);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("A") && l.contains("does not validate")),
                String.join("\n", log));
    }

    @Test
    void pskPeerIsNotAcceptedBySignatureSide() {
        start(IkeExchangeTest.config("a", A, B, "gw-a.example.test", "gw-b.example.test", IkeExchangeTest.PSK,
                        "aes128gcm16-prfsha256-x25519", "aes128gcm16", "10.244.1.0/24", "10.96.1.0/24"),
                config("b", B, A, "gw-b.example.test", "gw-a.example.test", "10.96.1.0/24", "10.244.1.0/24",
                        creds("gw-b.example.test", Pki.KeyType.ECDSA_P256)));
        exchange();
        assertAuthFailedAtB("no X.509 CERT payload");
    }
}
