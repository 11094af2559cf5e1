package net.edgegw.appliance.ike.sa;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.FragmentBuffer;
import net.edgegw.appliance.ike.codec.IkeCodec;
import net.edgegw.appliance.ike.crypto.IkeKeys;
import net.edgegw.appliance.ike.crypto.KeyExchange;
import net.edgegw.appliance.ike.crypto.Prf;
import net.edgegw.appliance.ike.crypto.SkCipher;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.NotifyPayload;
import net.edgegw.appliance.ike.message.PayloadType;
import net.edgegw.appliance.ike.message.Proposal;
import net.edgegw.appliance.ike.message.SkfPayload;
import net.edgegw.appliance.ike.task.IkeTask;
import net.edgegw.appliance.ike.task.ResponderTasks;

/**
 * One IKE SA (RFC 7296 §1): its SPIs, keys and CHILD SAs, and the exchange engine that runs tasks over it — as
 * initiator of an exchange one request at a time (window size 1, §2.3) with retransmission and exponential
 * back-off (§2.1), as responder with strict message IDs and the cached last response for a retransmitted
 * request (§2.2). Not thread-safe: the {@link IkeSaTable}'s thread owns it.
 *
 * <p>Fields the tasks fill in during IKE_SA_INIT and IKE_AUTH are public: the tasks are this SA's code split
 * by exchange step, as in strongSwan.
 */
public final class IkeSa {
    public enum State { CONNECTING, ESTABLISHED, DELETING, DEAD }

    /** Our limit: a responder SA not established after this long is forgotten (the initiator gave up). */
    static final long HALF_OPEN_NANOS = 30_000_000_000L;
    /** Our jitter: a CHILD SA rekeys up to lifetime / 10 before its configured rekey time. */
    static final int REKEY_JITTER_DIVISOR = 10;

    public final IkeConfig config;
    public final IkeContext ctx;
    /** We sent the first IKE_SA_INIT of this SA (the I flag of our messages, §3.1). */
    public final boolean originalInitiator;
    public long spiI;
    public long spiR;
    public State state = State.CONNECTING;
    /** Where the peer is now (its NAT-T port after the port float, §2.23). */
    public InetSocketAddress peer;
    /** Send from and to the NAT-T port (after NAT detection, or for a peer that came in on 4500). */
    public boolean natT;
    /** A NAT was detected in IKE_SA_INIT (or forced): ESP is UDP-encapsulated. */
    public boolean natDetected;
    /** A NAT in front of us was detected (the peer's NAT_DETECTION_DESTINATION_IP is not our address): we send
     * NAT-keepalives so that its mapping stays (RFC 3948 §4, RFC 7296 §2.23). */
    public boolean behindNat;
    /** A NAT in front of the peer was detected (its NAT_DETECTION_SOURCE_IP did not match), for the status. */
    public boolean peerBehindNat;
    /** Both sides announced IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383 §2.3): big protected messages go as SKF. */
    public boolean fragmentation;
    /** NAT-keepalives sent (RFC 3948 §2.3) and when the last one went. */
    public long keepalives;
    private long lastKeepalive;
    /** The hash IDs of the peer's SIGNATURE_HASH_ALGORITHMS notify in IKE_SA_INIT (RFC 7427 §4); empty if none. */
    public int[] peerSignatureHashes = new int[0];
    /** The Certification Authority data of the peer's CERTREQ payloads (RFC 7296 §3.7), null if it sent none. */
    public byte[] peerCertReq;

    // IKE_SA_INIT state, §1.2 / §2.14
    public Proposal ikeProposal;
    public KeyExchange ke;
    public byte[] ni;
    public byte[] nr;
    /** The IKE_SA_INIT request and response as sent/received: AUTH signs them (§2.15). */
    public byte[] initRequest;
    public byte[] initResponse;
    public Prf prf;
    public IkeKeys keys;
    public SkCipher out;
    public SkCipher in;
    public final List<ChildSa> children = new ArrayList<>();

    // exchange engine
    private int nextRequestId;
    private int expectedRequestId;
    private List<byte[]> cachedResponse;
    private final Deque<List<IkeTask>> queue = new ArrayDeque<>();
    private List<IkeTask> active;
    private List<byte[]> activeRequest;
    private int retransmits;
    private long retransmitAt;
    private long lastHeard;
    private boolean dieAfterResponse;
    /** Reassembly of fragmented requests and of fragmented responses: two message ID sequences (§2.2). */
    private final FragmentBuffer requestFragments = new FragmentBuffer();
    private final FragmentBuffer responseFragments = new FragmentBuffer();
    /** Registers a successor (IKE SA rekey) with the table; set by {@link IkeSaTable}. */
    java.util.function.Consumer<IkeSa> adopt = s -> { };
    /** Deletes the other IKE SAs with this peer (INITIAL_CONTACT, §2.4); set by {@link IkeSaTable}. */
    java.util.function.Consumer<IkeSa> initialContact = s -> { };
    /** We sent an IKE SA rekey request and have no answer yet (§2.8.2 collisions are noticed against it). */
    public boolean rekeyInitiated;
    /** §2.8.2: the IKE SA the peer's colliding rekey created, and that exchange's lowest nonce. */
    public IkeSa collisionSuccessor;
    public byte[] collisionLowestNonce;
    /** An established SA whose peer stopped answering (the table applies its {@link DpdAction}). */
    public boolean peerDead;
    /** The table's half-open key while this responder SA is half-open. */
    String halfOpenKey;
    private long establishedAt = -1;
    private long inboundPackets;
    private final long createdAt;
    private boolean rekeyQueued;
    /** A rekey handed this SA's CHILD SAs to a successor. */
    private boolean replaced;

    public IkeSa(IkeConfig config, IkeContext ctx, boolean originalInitiator, long spiI, long spiR,
                 InetSocketAddress peer) {
        this.config = config;
        this.ctx = ctx;
        this.originalInitiator = originalInitiator;
        this.spiI = spiI;
        this.spiR = spiR;
        this.peer = peer;
        this.lastHeard = ctx.nanoClock().getAsLong();
        this.createdAt = lastHeard;
    }

    /** Our SPI: what the peer's messages to us carry in our half of the header. */
    public long localSpi() {
        return originalInitiator ? spiI : spiR;
    }

    /** Queues one exchange made of {@code tasks} (all of the same exchange type); starts it when idle. */
    public void queue(IkeTask... tasks) {
        queue.add(List.of(tasks));
        initiateNext();
    }

    public boolean busy() {
        return active != null;
    }

    private void initiateNext() {
        if (active != null || queue.isEmpty() || state == State.DEAD) {
            return;
        }
        active = queue.poll();
        sendRequest();
    }

    private void sendRequest() {
        ExchangeType ex = active.get(0).exchange();
        IkeMessage m = new IkeMessage(spiI, spiR, ex, originalInitiator ? IkeHeader.FLAG_INITIATOR : 0,
                nextRequestId, false, List.of());
        try {
            for (IkeTask t : active) {
                t.build(m);
            }
        } catch (IkeProtocolException e) {
            log("cannot build " + ex + ": " + e.getMessage());
            die();
            return;
        }
        activeRequest = encode(m);
        if (ex == ExchangeType.IKE_SA_INIT) {
            initRequest = activeRequest.get(0);
        }
        retransmits = 0;
        retransmitAt = ctx.nanoClock().getAsLong() + config.retransmitMillis() * 1_000_000L;
        if (logging()) {
            log("sending " + m);
        }
        transmit(activeRequest);
    }

    private void transmit(List<byte[]> msgs) {
        for (byte[] m : msgs) {
            ctx.sender().send(m, peer, natT);
        }
    }

    /**
     * One datagram, or SKF fragments when both sides support them and the message is bigger than our
     * fragment size (RFC 7383 §2.5; never IKE_SA_INIT, which is unprotected).
     */
    private List<byte[]> encode(IkeMessage m) {
        if (m.exchange == ExchangeType.IKE_SA_INIT) {
            return List.of(IkeCodec.encode(m, null));
        }
        byte[] whole = IkeCodec.encode(m, out);
        if (!fragmentation || config.fragmentSize() <= 0 || whole.length <= config.fragmentSize()) {
            return List.of(whole);
        }
        List<byte[]> frags = IkeCodec.encodeFragments(m, out, config.fragmentSize());
        log("message of " + whole.length + " bytes sent as " + frags.size() + " fragments");
        return frags;
    }

    /** A message for this SA (the table matched our SPI); {@code h} is its already checked header. */
    public void receive(IkeHeader h, byte[] msg, InetSocketAddress from, int localPort) {
        if (state == State.DEAD) {
            return;
        }
        if (h.isResponse()) {
            receiveResponse(h, msg);
        } else {
            receiveRequest(h, msg, from, localPort);
        }
    }

    /** Decodes a protected message, reassembling fragments; null when dropped or still incomplete. */
    private IkeMessage open(IkeHeader h, byte[] msg) throws IkeProtocolException {
        if (h.exchange() == ExchangeType.IKE_SA_INIT) {
            return IkeCodec.decode(msg, null);
        }
        if (in == null) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, "protected message before keys");
        }
        IkeMessage m = IkeCodec.decode(msg, in);
        SkfPayload f = m.get(SkfPayload.class);
        if (f != null) {
            return (h.isResponse() ? responseFragments : requestFragments).offer(h, f);
        }
        if (!m.encrypted) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_SYNTAX, h.exchange() + " without SK");
        }
        return m;
    }

    private void receiveResponse(IkeHeader h, byte[] msg) {
        if (active == null || h.messageId() != nextRequestId || h.exchange() != active.get(0).exchange()) {
            count(IkeCounter.IKE_UNEXPECTED);
            return; // §2.2: a response we did not ask for (or a late duplicate) is dropped
        }
        ExchangeType ex = active.get(0).exchange();
        IkeMessage m;
        try {
            m = open(h, msg);
        } catch (IkeProtocolException e) {
            countUndecodable(e, ex, msg);
            log("dropped " + h + ": " + e.getMessage());
            return; // §2.21.2: an invalid response is dropped; retransmission or its limit decides
        }
        if (m == null) {
            return; // more fragments to come
        }
        lastHeard = ctx.nanoClock().getAsLong();
        if (logging()) {
            log("received " + m);
        }
        if (ex == ExchangeType.IKE_SA_INIT) {
            initResponse = msg;
        }
        boolean retry = false;
        try {
            for (IkeTask t : active) {
                retry |= t.process(m) == IkeTask.Status.RETRY;
            }
        } catch (IkeProtocolException e) {
            log(ex + " failed: " + e.getMessage());
            countFailure(ex);
            active = null;
            if (ex == ExchangeType.IKE_SA_INIT || ex == ExchangeType.IKE_AUTH) {
                die(); // §2.21.2: no IKE SA without successful authentication
            }
            initiateNext();
            return;
        }
        if (retry) {
            sendRequest(); // INVALID_KE_PAYLOAD or COOKIE: IKE_SA_INIT again, still message ID 0
            return;
        }
        active = null;
        activeRequest = null;
        nextRequestId++;
        if (state == State.DEAD) {
            return;
        }
        initiateNext();
    }

    private void receiveRequest(IkeHeader h, byte[] msg, InetSocketAddress from, int localPort) {
        int id = h.messageId();
        if (cachedResponse != null && id == expectedRequestId - 1) {
            // §2.1: a retransmitted request gets the same response again (once per retransmission: on its first
            // fragment when it came fragmented, RFC 7383 §2.6.1)
            if (h.nextPayload() != PayloadType.SKF.value() || fragmentNumber(msg) == 1) {
                transmit(cachedResponse);
            }
            return;
        }
        if (id != expectedRequestId) {
            count(IkeCounter.IKE_UNEXPECTED);
            return; // §2.3: outside the window
        }
        ExchangeType ex = h.exchange();
        if (!acceptsRequest(ex)) {
            count(IkeCounter.IKE_UNEXPECTED);
            log("dropped " + h + " in state " + state);
            return;
        }
        IkeMessage req;
        try {
            req = open(h, msg);
        } catch (IkeProtocolException e) {
            if (countUndecodable(e, ex, msg)) {
                // §2.21.2: authentic but malformed: answer with the notify (INVALID_SYNTAX, UNSUPPORTED_CRITICAL_PAYLOAD)
                log("malformed " + h + ": " + e.getMessage());
                respond(h, new IkeMessage(spiI, spiR, ex, responseFlags(), id, false,
                        List.of(NotifyPayload.error(e.notifyType()))));
                return;
            }
            // a request that fails integrity is dropped; an unprotected IKE_SA_INIT that is garbage too
            log("dropped " + h + ": " + e.getMessage());
            if (ex == ExchangeType.IKE_SA_INIT) {
                die();
            }
            return;
        }
        if (req == null) {
            return;
        }
        lastHeard = ctx.nanoClock().getAsLong();
        boolean moved = state == State.ESTABLISHED && natDetected && !from.equals(peer);
        if (moved) {
            log("peer moved from " + peer + " to " + from + " (NAT mapping changed, §2.23)");
        }
        peer = from;
        natT = localPort == IkeConfig.NAT_T_PORT;
        if (logging()) {
            log("received " + req);
        }
        if (ex == ExchangeType.IKE_SA_INIT) {
            initRequest = msg;
        }
        IkeMessage resp = new IkeMessage(spiI, spiR, ex, responseFlags(), id, false, List.of());
        List<IkeTask> tasks = ResponderTasks.forRequest(this, req);
        try {
            for (IkeTask t : tasks) {
                t.process(req);
            }
            for (IkeTask t : tasks) {
                t.build(resp);
            }
        } catch (IkeProtocolException e) {
            log(ex + " request failed: " + e.getMessage());
            countFailure(ex);
            resp = new IkeMessage(spiI, spiR, ex, resp.flags, id, false, List.of(NotifyPayload.error(e.notifyType())));
            if (ex == ExchangeType.IKE_SA_INIT || ex == ExchangeType.IKE_AUTH) {
                dieAfterResponse = true;
            }
        }
        respond(h, resp);
        if (moved && state == State.ESTABLISHED) {
            followPeer();
        }
    }

    /**
     * After the peer's NAT mapping changed (§2.23: a protected request from a new address or port), IKE already
     * answers there; the installed ESP SAs still send to the old address, so each CHILD SA is rekeyed: its
     * successor is installed toward the new one. (Updating an SA in place would need a data-plane call.)
     */
    private void followPeer() {
        for (ChildSa c : new ArrayList<>(children)) {
            if (!c.rekeyQueued) {
                c.rekeyQueued = true;
                queue(net.edgegw.appliance.ike.task.ChildCreate.createChildSa(this, c));
            }
        }
    }

    /**
     * Counts a message that did not decode by why, and says whether it is authentic: its ICV verified but its
     * content is malformed (§2.21.2: a request then gets the notify). Otherwise it failed its ICV, or it is
     * unprotected or unframed garbage (IKE_SA_INIT is never authentic).
     */
    private boolean countUndecodable(IkeProtocolException e, ExchangeType ex, byte[] msg) {
        if (e.notifyType() == IkeProtocolException.AUTHENTICATION_FAILED) {
            count(IkeCounter.IKE_INTEGRITY_FAILURES);
            return false;
        }
        boolean authentic = ex != ExchangeType.IKE_SA_INIT && IkeCodec.verifies(msg, in);
        count(authentic ? IkeCounter.IKE_MALFORMED_PROTECTED : IkeCounter.IKE_MALFORMED);
        return authentic;
    }

    /** An exchange that failed either way: for IKE_SA_INIT and IKE_AUTH this ends the IKE SA (§2.21.2). */
    private void countFailure(ExchangeType ex) {
        if (ex == ExchangeType.IKE_AUTH) {
            count(IkeCounter.IKE_AUTH_FAILURES);
        } else if (ex == ExchangeType.IKE_SA_INIT) {
            count(IkeCounter.IKE_SA_INIT_FAILURES);
        }
    }

    private int responseFlags() {
        return IkeHeader.FLAG_RESPONSE | (originalInitiator ? IkeHeader.FLAG_INITIATOR : 0);
    }

    /** Sends (and caches, §2.1) the response to the expected request, then ends the SA if a task asked for it. */
    private void respond(IkeHeader h, IkeMessage resp) {
        ExchangeType ex = h.exchange();
        List<byte[]> bytes = encode(resp);
        if (ex == ExchangeType.IKE_SA_INIT) {
            initResponse = bytes.get(0);
        }
        cachedResponse = bytes;
        expectedRequestId++;
        if (logging()) {
            log("sending " + resp);
        }
        transmit(bytes);
        if (dieAfterResponse) {
            die();
        }
    }

    /**
     * Which requests fit this SA's state: IKE_SA_INIT only as the first message of a responder SA (it is
     * unprotected: on any other SA it would let anyone who saw the SPIs replace the keys), IKE_AUTH only after
     * IKE_SA_INIT, the others only once established (§1.2: CREATE_CHILD_SA and INFORMATIONAL need an IKE SA).
     */
    private boolean acceptsRequest(ExchangeType ex) {
        switch (ex) {
            case IKE_SA_INIT:
                return !originalInitiator && expectedRequestId == 0 && state == State.CONNECTING && keys == null;
            case IKE_AUTH:
                return !originalInitiator && state == State.CONNECTING && keys != null;
            case CREATE_CHILD_SA:
            case INFORMATIONAL:
                return state == State.ESTABLISHED || state == State.DELETING;
            default:
                return state == State.ESTABLISHED;
        }
    }

    /** The responder sends this response and then forgets the SA (INVALID_KE_PAYLOAD, failed AUTH, Delete). */
    public void dieAfterResponse() {
        dieAfterResponse = true;
    }

    /**
     * Timers: retransmission with back-off, rekeys, and a liveness check after {@code dpdSeconds} without IKE or
     * ESP from the peer (§2.4).
     * Gives up (and deletes the SA without a message) after {@code retransmitTries}.
     */
    public void tick() {
        long now = ctx.nanoClock().getAsLong();
        if (state == State.DEAD) {
            return;
        }
        if (active != null && activeRequest != null && now - retransmitAt >= 0) {
            if (retransmits >= config.retransmitTries()) {
                log("giving up after " + retransmits + " retransmissions");
                count(IkeCounter.IKE_EXCHANGE_TIMEOUTS);
                peerDead = state == State.ESTABLISHED || state == State.DELETING;
                die();
                return;
            }
            retransmits++;
            double t = config.retransmitMillis() * Math.pow(config.retransmitBase(), retransmits);
            retransmitAt = now + (long) (t * 1_000_000L);
            log("retransmit " + retransmits + " of " + active.get(0).exchange() + " #" + nextRequestId);
            count(IkeCounter.IKE_RETRANSMITS);
            transmit(activeRequest);
        }
        if (state == State.CONNECTING && !originalInitiator && now - createdAt >= HALF_OPEN_NANOS) {
            log("half-open IKE SA timed out");
            die();
            return;
        }
        if (state == State.ESTABLISHED && establishedAt < 0) {
            establishedAt = now;
        }
        if (state == State.ESTABLISHED && config.ikeRekeySeconds() > 0 && !rekeyQueued
                && now - establishedAt >= config.ikeRekeySeconds() * 1_000_000_000L) {
            rekeyQueued = true;
            queue(new net.edgegw.appliance.ike.task.IkeRekey(this, true));
        }
        if (state == State.ESTABLISHED) {
            long lifetime = config.childRekeySeconds() * 1_000_000_000L;
            for (ChildSa c : new ArrayList<>(children)) {
                if (c.hardExpired) {
                    c.hardExpired = false; // the data plane stopped using it: delete it (make-before-break failed)
                    c.rekeyQueued = true;
                    queue(net.edgegw.appliance.ike.task.ChildDelete.initiator(this, c));
                    continue;
                }
                if (lifetime > 0 && c.rekeyJitterNanos < 0) {
                    // up to 10% earlier, so the CHILD SAs set up together (and the two peers) don't rekey at once
                    c.rekeyJitterNanos = (long) (ctx.rnd().nextDouble() * lifetime / REKEY_JITTER_DIVISOR);
                }
                boolean timer = lifetime > 0 && now - c.createdAt >= lifetime - c.rekeyJitterNanos;
                if (!c.rekeyQueued && (timer || c.softExpired)) {
                    // make-before-break: the new CHILD SA is installed before the old one is deleted (§2.8)
                    c.rekeyQueued = true;
                    queue(net.edgegw.appliance.ike.task.ChildCreate.createChildSa(this, c));
                }
            }
        }
        if (behindNat && natT && state == State.ESTABLISHED && config.natKeepaliveSeconds() > 0
                && now - lastKeepalive >= config.natKeepaliveSeconds() * 1_000_000_000L) {
            lastKeepalive = now;
            keepalives++;
            ctx.sender().keepalive(peer);
            if (keepalives == 1) {
                log("behind a NAT: NAT-keepalives to " + peer + " every " + config.natKeepaliveSeconds() + " s");
            }
        }
        long packets = 0;
        for (ChildSa c : children) {
            packets += ctx.installer().inboundPackets(c);
        }
        if (packets != inboundPackets) {
            inboundPackets = packets;
            lastHeard = now; // §2.4: protected ESP from the peer is as good as an IKE message
        }
        if (state == State.ESTABLISHED && active == null && queue.isEmpty() && config.dpdSeconds() > 0
                && now - lastHeard >= config.dpdSeconds() * 1_000_000_000L) {
            lastHeard = now; // one check per interval
            queue(new net.edgegw.appliance.ike.task.IkeDpd(this));
        }
    }

    /** When it was established (the context's nano clock), -1 before; a successor counts from its rekey. */
    public long establishedAtNanos() {
        return establishedAt;
    }

    /** A random IKE SPI, never 0. */
    public long newIkeSpi() {
        long s;
        do {
            s = ctx.rnd().nextLong();
        } while (s == 0);
        return s;
    }

    /**
     * The IKE SA that replaces this one after a rekey (§2.18): same peer and NAT state, established, registered
     * with the table; {@code weInitiated} says whether we initiated the rekey (the new SA's I flag).
     */
    public IkeSa successor(boolean weInitiated, long newSpiI, long newSpiR) {
        IkeSa next = new IkeSa(config, ctx, weInitiated, newSpiI, newSpiR, peer);
        next.natT = natT;
        next.behindNat = behindNat;
        next.peerBehindNat = peerBehindNat;
        next.natDetected = natDetected;
        next.fragmentation = fragmentation;
        next.state = State.ESTABLISHED;
        next.adopt = adopt;
        next.initialContact = initialContact;
        adopt.accept(next);
        return next;
    }

    /** The peer says it has no other IKE SA with us (N(INITIAL_CONTACT) in IKE_AUTH, §2.4): forget the old ones. */
    public void initialContact() {
        initialContact.accept(this);
    }

    /**
     * Moves the CHILD SAs to {@code next}; this SA is then deleted without touching the data plane. Counted once
     * per replaced SA: in a §2.8.2 collision both exchanges hand over.
     */
    public void handOver(IkeSa next) {
        if (!replaced) {
            replaced = true;
            count(IkeCounter.IKE_REKEYS);
        }
        next.children.addAll(children);
        children.clear();
        state = State.DELETING;
        rekeyQueued = true;
    }

    /** Removes every CHILD SA from the data plane and ends this SA. */
    public void die() {
        if (state == State.DEAD) {
            return;
        }
        for (ChildSa c : children) {
            ctx.installer().remove(this, c);
        }
        children.clear();
        state = State.DEAD;
        queue.clear();
        active = null;
        log("IKE SA deleted");
    }

    /** Derives SKEYSEED and SK_* and keys both directions' SK ciphers (§2.14); both sides call it. */
    public void keysReady(IkeKeys k, SkCipher initiatorToResponder, SkCipher responderToInitiator) {
        this.keys = k;
        this.out = originalInitiator ? initiatorToResponder : responderToInitiator;
        this.in = originalInitiator ? responderToInitiator : initiatorToResponder;
    }

    private static int fragmentNumber(byte[] msg) {
        int at = IkeHeader.LEN + 4; // SKF generic header, then Fragment Number (RFC 7383 §2.5)
        return msg.length >= at + 2 ? (msg[at] & 0xff) << 8 | (msg[at + 1] & 0xff) : 0;
    }

    /** Tests: the message ID our next request will carry. */
    int nextRequestIdForTest() {
        return nextRequestId;
    }

    /** Tests: a request was sent outside the engine. */
    void skipRequestIdForTest() {
        nextRequestId++;
    }

    public ChildSa childByOutboundSpi(int spi) {
        for (ChildSa c : children) {
            if (c.spiOut == spi) {
                return c;
            }
        }
        return null;
    }

    public ChildSa childByInboundSpi(int spi) {
        for (ChildSa c : children) {
            if (c.spiIn == spi) {
                return c;
            }
        }
        return null;
    }

    /** A fresh CHILD SA SPI: random, at least 256 (RFC 4303 §2.1). */
    public int newChildSpi() {
        int s;
        do {
            s = ctx.rnd().nextInt();
        } while (Integer.compareUnsigned(s, 256) < 0 || childByInboundSpi(s) != null || ctx.installer().spiInUse(s));
        return s;
    }

    /** One more of {@code c} in the engine's counters (the event happened on this SA). */
    public void count(IkeCounter c) {
        ctx.counters().bump(c);
    }

    /** Whether log lines go anywhere (callers skip building costly ones when not). */
    public boolean logging() {
        return ctx.log() != IkeContext.QUIET;
    }

    public void log(String s) {
        if (!logging()) {
            return;
        }
        ctx.log().accept(String.format("[%s %016x_%016x] %s", config.name(), spiI, spiR, s));
    }

    @Override
    public String toString() {
        return String.format("IKE_SA %s %016x_%016x %s peer %s children %d", config.name(), spiI, spiR, state, peer,
                children.size());
    }
}
