package net.edgegw.appliance.ike.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.crypto.SkCipher;
import net.edgegw.appliance.ike.message.AuthPayload;
import net.edgegw.appliance.ike.message.CertPayload;
import net.edgegw.appliance.ike.message.CpPayload;
import net.edgegw.appliance.ike.message.DeletePayload;
import net.edgegw.appliance.ike.message.ExchangeType;
import net.edgegw.appliance.ike.message.IdPayload;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.KePayload;
import net.edgegw.appliance.ike.message.NoncePayload;
import net.edgegw.appliance.ike.message.NotifyPayload;
import net.edgegw.appliance.ike.message.Payload;
import net.edgegw.appliance.ike.message.PayloadType;
import net.edgegw.appliance.ike.message.SaPayload;
import net.edgegw.appliance.ike.message.SkPayload;
import net.edgegw.appliance.ike.message.SkfPayload;
import net.edgegw.appliance.ike.message.TsPayload;
import net.edgegw.appliance.ike.message.VendorIdPayload;

/**
 * IKE message framing: the header, the chain of generic payload headers, and the Encrypted (SK) and Encrypted
 * Fragment (SKF) payloads around the inner payloads.
 *
 * <p>Decoding is strict: every length is checked against what is left before anything is read; any
 * inconsistency is {@link IkeProtocolException} INVALID_SYNTAX, an unknown payload with the critical bit is
 * UNSUPPORTED_CRITICAL_PAYLOAD and an unknown one without it is skipped (RFC 7296 §2.5, §3.2). A protected
 * message's ICV is checked (by {@link SkCipher#open}) before any inner payload is parsed.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3">RFC 7296 §3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7383#section-2.5">RFC 7383 §2.5</a>
 */
public final class IkeCodec {
    static final int CRITICAL = 0x80;       // RFC 7296 §3.2, the C bit of the generic payload header
    static final int VERSION_2_0 = 0x20;    // MjVer 2, MnVer 0
    /** IKE header + SK generic header: the AAD of SK (RFC 7296 §3.14, RFC 5282 §5.1). */
    public static final int SK_AAD_LEN = IkeHeader.LEN + Payload.GENERIC_HEADER_LEN;
    /** IKE header + SKF generic header + fragment fields: the AAD of SKF (RFC 7383 §2.5). */
    public static final int SKF_AAD_LEN = SK_AAD_LEN + SkfPayload.FIELDS_LEN;

    private IkeCodec() {}

    /** Reads and checks the fixed header: version 2, a length that is the datagram's. */
    public static IkeHeader decodeHeader(byte[] msg) throws IkeProtocolException {
        if (msg.length < IkeHeader.LEN) {
            throw WireReader.syntax("message of " + msg.length + " bytes is shorter than the IKE header");
        }
        WireReader r = new WireReader(msg);
        long spiI = r.i64("SPIi");
        long spiR = r.i64("SPIr");
        int next = r.u8("next payload");
        int version = r.u8("version");
        int exchange = r.u8("exchange type");
        int flags = r.u8("flags");
        int messageId = r.i32("message id");
        long length = r.u32("length");
        if (version >>> 4 != IkeHeader.MAJOR_VERSION) {
            throw new IkeProtocolException(IkeProtocolException.INVALID_MAJOR_VERSION, "IKE major version " + (version >>> 4));
        }
        if (length != msg.length) {
            throw WireReader.syntax("header length " + length + " but the datagram has " + msg.length + " bytes");
        }
        return new IkeHeader(spiI, spiR, next, version >>> 4, version & 0xf, exchange, flags, messageId, (int) length);
    }

    /**
     * Decodes a whole message. {@code in} opens an SK or SKF payload; when it is null such a payload is returned
     * as is ({@link SkPayload}). For SKF the result holds one {@link SkfPayload} with the opened fragment content,
     * for {@link FragmentBuffer}.
     *
     * @throws IkeProtocolException the notify type to answer with (AUTHENTICATION_FAILED from the cipher: drop)
     */
    public static IkeMessage decode(byte[] msg, SkCipher in) throws IkeProtocolException {
        IkeHeader h = decodeHeader(msg);
        List<Payload> out = new ArrayList<>();
        boolean encrypted = decodeChain(new WireReader(msg, IkeHeader.LEN, msg.length - IkeHeader.LEN),
                h.nextPayload(), out, msg, in);
        return new IkeMessage(h.spiI(), h.spiR(), h.exchange(), h.flags(), h.messageId(), encrypted, out);
    }

    /** Parses the payloads of a reassembled fragmented message (RFC 7383 §2.6). */
    public static IkeMessage decodeReassembled(IkeHeader h, int firstInner, byte[] plain) throws IkeProtocolException {
        List<Payload> out = new ArrayList<>();
        decodeChain(new WireReader(plain), firstInner, out, null, null);
        return new IkeMessage(h.spiI(), h.spiR(), h.exchange(), h.flags(), h.messageId(), true, out);
    }

    private static SkfPayload decodeFragment(byte[] msg, int start, int firstInner, WireReader body, SkCipher in)
            throws IkeProtocolException {
        int num = body.u16("fragment number");
        int total = body.u16("total fragments");
        if (num == 0 || total == 0 || num > total) { // RFC 7383 §2.6: such fragments are discarded
            throw WireReader.syntax("fragment " + num + " of " + total);
        }
        if (in == null) {
            return new SkfPayload(num, total, firstInner, body.rest());
        }
        byte[] plain = in.open(Arrays.copyOf(msg, start + Payload.GENERIC_HEADER_LEN + SkfPayload.FIELDS_LEN), msg,
                body.position(), body.remaining());
        return new SkfPayload(num, total, firstInner, plain);
    }

    /**
     * Reads a payload chain to its end. {@code msg} is the whole message when the chain is the outer one (an SK or
     * SKF payload may end it), null inside SK. Returns true if an encrypted payload was opened.
     */
    private static boolean decodeChain(WireReader r, int first, List<Payload> out, byte[] msg, SkCipher in)
            throws IkeProtocolException {
        int next = first;
        while (next != PayloadType.NONE.value()) {
            int type = next;
            int start = r.position();
            next = r.u8("next payload");
            int flags = r.u8("payload flags");
            int len = r.u16("payload length");
            if (len < Payload.GENERIC_HEADER_LEN) {
                throw WireReader.syntax("payload length " + len);
            }
            WireReader body = r.slice(len - Payload.GENERIC_HEADER_LEN, "payload body");
            if (type == PayloadType.SK.value() || type == PayloadType.SKF.value()) {
                if (msg == null) {
                    throw WireReader.syntax("encrypted payload inside an encrypted payload");
                }
                // RFC 7296 §3.14: SK is the last payload; its Next Payload names the first inner one
                if (r.remaining() != 0) {
                    throw WireReader.syntax("encrypted payload is not the last one");
                }
                if (type == PayloadType.SKF.value()) {
                    out.add(decodeFragment(msg, start, next, body, in));
                    return in != null;
                }
                if (in == null) {
                    out.add(new SkPayload(next, body.rest()));
                    return false;
                }
                byte[] plain = in.open(Arrays.copyOf(msg, start + Payload.GENERIC_HEADER_LEN), msg, body.position(),
                        body.remaining());
                decodeChain(new WireReader(plain), next, out, null, null);
                return true;
            }
            Payload p = decodePayload(type, flags, body);
            if (p != null) {
                out.add(p);
            }
        }
        r.expectEnd("payload chain");
        return false;
    }

    /** One payload body; null for an unknown, non-critical payload (skipped, RFC 7296 §2.5). */
    static Payload decodePayload(int type, int flags, WireReader body) throws IkeProtocolException {
        Payload p;
        switch (PayloadType.of(type)) {
            case SA: p = SaPayload.decode(body); break;
            case KE: p = KePayload.decode(body); break;
            case IDI: p = IdPayload.decode(true, body); break;
            case IDR: p = IdPayload.decode(false, body); break;
            case CERT: p = CertPayload.decode(false, body); break;
            case CERTREQ: p = CertPayload.decode(true, body); break;
            case AUTH: p = AuthPayload.decode(body); break;
            case NONCE: p = NoncePayload.decode(body); break;
            case NOTIFY: p = NotifyPayload.decode(body); break;
            case DELETE: p = DeletePayload.decode(body); break;
            case VENDOR_ID: p = VendorIdPayload.decode(body); break;
            case TSI: p = TsPayload.decode(true, body); break;
            case TSR: p = TsPayload.decode(false, body); break;
            case CP: p = CpPayload.decode(body); break;
            default:
                // EAP and everything unknown: we implement no EAP, so EAP is treated as an unknown payload
                if ((flags & CRITICAL) != 0) {
                    throw new IkeProtocolException(IkeProtocolException.UNSUPPORTED_CRITICAL_PAYLOAD,
                            "unsupported critical payload " + type);
                }
                return null;
        }
        body.expectEnd(PayloadType.of(type) + " payload");
        return p;
    }

    /** Encodes a message; protected (all payloads inside SK) when {@code out} is not null. */
    public static byte[] encode(IkeMessage m, SkCipher out) {
        List<Payload> ps = m.payloads();
        int first = ps.isEmpty() ? PayloadType.NONE.value() : ps.get(0).type().value();
        WireWriter chain = new WireWriter();
        encodeChain(chain, ps);
        byte[] inner = chain.toByteArray();
        if (out == null) {
            WireWriter w = new WireWriter();
            header(w, m, first, IkeHeader.LEN + inner.length);
            return w.bytes(inner).toByteArray();
        }
        int sealedLen = out.sealedLength(inner.length);
        WireWriter w = new WireWriter();
        header(w, m, PayloadType.SK.value(), SK_AAD_LEN + sealedLen);
        w.u8(first).u8(0).u16(Payload.GENERIC_HEADER_LEN + sealedLen);
        byte[] aad = w.toByteArray();
        return w.bytes(out.seal(aad, inner)).toByteArray();
    }

    /**
     * Encodes a protected message as SKF fragments of at most {@code maxDatagram} bytes each (RFC 7383 §2.5);
     * a single fragment when it fits.
     */
    public static List<byte[]> encodeFragments(IkeMessage m, SkCipher out, int maxDatagram) {
        List<Payload> ps = m.payloads();
        int first = ps.isEmpty() ? PayloadType.NONE.value() : ps.get(0).type().value();
        WireWriter chain = new WireWriter();
        encodeChain(chain, ps);
        byte[] inner = chain.toByteArray();
        int cap = out.maxPlaintext(maxDatagram - SKF_AAD_LEN);
        if (cap <= 0) {
            throw new IllegalArgumentException("datagram size " + maxDatagram + " leaves no room for a fragment");
        }
        int total = Math.max(1, (inner.length + cap - 1) / cap);
        if (total > 0xffff) {
            throw new IllegalArgumentException("message needs more than 65535 fragments");
        }
        List<byte[]> frags = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            byte[] part = Arrays.copyOfRange(inner, i * cap, Math.min(inner.length, (i + 1) * cap));
            int sealedLen = out.sealedLength(part.length);
            WireWriter w = new WireWriter();
            header(w, m, PayloadType.SKF.value(), SKF_AAD_LEN + sealedLen);
            w.u8(i == 0 ? first : 0).u8(0).u16(Payload.GENERIC_HEADER_LEN + SkfPayload.FIELDS_LEN + sealedLen)
                    .u16(i + 1).u16(total);
            byte[] aad = w.toByteArray();
            frags.add(w.bytes(out.seal(aad, part)).toByteArray());
        }
        return frags;
    }

    private static void header(WireWriter w, IkeMessage m, int next, int length) {
        w.i64(m.spiI).i64(m.spiR).u8(next).u8(VERSION_2_0).u8(m.exchange.value()).u8(m.flags).i32(m.messageId)
                .i32(length);
    }

    private static void encodeChain(WireWriter w, List<Payload> ps) {
        for (int i = 0; i < ps.size(); i++) {
            int start = w.position();
            int next = i + 1 < ps.size() ? ps.get(i + 1).type().value() : PayloadType.NONE.value();
            w.u8(next).u8(0).u16(0); // C bit 0: RFC 7296 §3.2 for the payloads it defines
            ps.get(i).encodeBody(w);
            w.patch16(start + 2, w.position() - start);
        }
    }

    /**
     * Whether a protected message's SK payload verifies under {@code in} (its framing is sound and the ICV is
     * right). After {@link #decode} failed, this tells a request whose protected content is malformed (answer
     * with the notify, RFC 7296 §2.21.2) from a forgery or garbage (drop silently). SKF: false.
     */
    public static boolean verifies(byte[] msg, SkCipher in) {
        try {
            IkeMessage outer = decode(msg, null);
            SkPayload sk = outer.get(SkPayload.class);
            if (sk == null || in == null) {
                return false;
            }
            int sealedLen = sk.sealed().length;
            int bodyAt = msg.length - sealedLen;
            in.open(Arrays.copyOf(msg, bodyAt), msg, bodyAt, sealedLen);
            return true;
        } catch (IkeProtocolException e) {
            return false;
        }
    }

    /** The exchange type of a message that failed to decode, for counters (never throws). */
    public static ExchangeType peekExchange(byte[] msg) {
        return msg.length > 18 ? ExchangeType.of(msg[18] & 0xff) : ExchangeType.UNKNOWN;
    }
}
