package net.edgegw.appliance.ike.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An IKE message as the exchanges see it: the header fields and the payloads in order. For a protected message
 * the payloads are the ones inside SK (the codec encrypts and decrypts); {@code encrypted} says which it is.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3">RFC 7296 §3</a>
 */
public final class IkeMessage {
    public final long spiI;
    public final long spiR;
    public final ExchangeType exchange;
    /** IkeHeader flag bits (I, R); the codec computes nothing here. */
    public final int flags;
    public final int messageId;
    public final boolean encrypted;
    private final List<Payload> payloads;

    public IkeMessage(long spiI, long spiR, ExchangeType exchange, int flags, int messageId, boolean encrypted,
                      List<Payload> payloads) {
        this.spiI = spiI;
        this.spiR = spiR;
        this.exchange = exchange;
        this.flags = flags;
        this.messageId = messageId;
        this.encrypted = encrypted;
        this.payloads = new ArrayList<>(payloads);
    }

    public boolean isResponse() {
        return (flags & IkeHeader.FLAG_RESPONSE) != 0;
    }

    public boolean fromInitiator() {
        return (flags & IkeHeader.FLAG_INITIATOR) != 0;
    }

    public List<Payload> payloads() {
        return Collections.unmodifiableList(payloads);
    }

    /** Appends a payload (tasks build a message one after the other). */
    public IkeMessage add(Payload p) {
        payloads.add(p);
        return this;
    }

    /** The first payload of a class, or null. */
    public <T extends Payload> T get(Class<T> c) {
        for (Payload p : payloads) {
            if (c.isInstance(p)) {
                return c.cast(p);
            }
        }
        return null;
    }

    /** The first payload of a type (IDi vs IDr, TSi vs TSr share classes), or null. */
    public Payload get(PayloadType t) {
        for (Payload p : payloads) {
            if (p.type() == t) {
                return p;
            }
        }
        return null;
    }

    public <T extends Payload> List<T> all(Class<T> c) {
        List<T> l = new ArrayList<>();
        for (Payload p : payloads) {
            if (c.isInstance(p)) {
                l.add(c.cast(p));
            }
        }
        return l;
    }

    /** The first notify of a type, or null. */
    public NotifyPayload notify(NotifyType t) {
        for (Payload p : payloads) {
            if (p instanceof NotifyPayload n && n.notifyType() == t.value()) {
                return n;
            }
        }
        return null;
    }

    /** The first error notify (type below 16384), or null. */
    public NotifyPayload firstError() {
        for (Payload p : payloads) {
            if (p instanceof NotifyPayload n && NotifyType.isError(n.notifyType())) {
                return n;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(exchange).append(isResponse() ? " response " : " request ").append(Integer.toUnsignedLong(messageId))
                .append(" [");
        for (int i = 0; i < payloads.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(payloads.get(i).toString());
        }
        return sb.append(encrypted ? "] (SK)" : "]").toString();
    }
}
